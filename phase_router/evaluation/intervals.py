"""Intervals for the evaluation's verdicts, distribution-free so they hold whatever the shape of
the per-seed figures: a confidence interval for a median from order statistics (the sign-test
interval: exact coverage from the binomial distribution, no normality assumed), and a verdict on
paired differences (router A minus router B on the same inputs and seeds)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    estimate: float  # the median
    low: float
    high: float
    level: float  # the interval's actual coverage (>= the level asked for), or 0 with too few values
    n: int

    def text(self, digits: int = 3) -> str:
        if self.level == 0:
            return f"{self.estimate:.{digits}f} (n = {self.n}: too few seeds for an interval)"
        return f"{self.estimate:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}]"

    def as_dict(self) -> dict:
        return {"median": self.estimate, "low": self.low, "high": self.high, "level": self.level, "n": self.n}


def _binomial_cdf(j: int, n: int) -> float:
    return sum(math.comb(n, i) for i in range(j + 1)) / 2**n


def median_interval(values, level: float = LEVEL) -> Interval:
    """The median with the narrowest symmetric order-statistic interval [x_(j), x_(n+1-j)] whose
    coverage P(x_(j) <= median <= x_(n+1-j)) = 1 - 2 P(Bin(n, 1/2) < j) is at least `level`.
    With n < 6 no such interval reaches 95 %: the interval is the whole range and level is 0."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = int(x.size)
    if n == 0:
        raise ValueError("no values")
    median = float(np.median(x))
    best = None
    for j in range(1, n // 2 + 1):
        coverage = 1 - 2 * _binomial_cdf(j - 1, n)
        if coverage >= level:
            best = (j, coverage)
    if best is None:
        return Interval(median, float(x[0]), float(x[-1]), 0.0, n)
    j, coverage = best
    return Interval(median, float(x[j - 1]), float(x[n - j]), coverage, n)


def paired_verdict(a, b, name_a: str, name_b: str, what: str = "max/mean load", level: float = LEVEL) -> dict:
    """Compare per-seed figures of two routers on the same inputs and seeds (lower is better):
    the interval of the median difference a - b decides; an interval containing 0 is a tie."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    diff = median_interval(a - b, level)
    if diff.level > 0 and diff.high < 0:
        outcome = f"{name_a} lower"
    elif diff.level > 0 and diff.low > 0:
        outcome = f"{name_b} lower"
    elif diff.level == 0:
        outcome = "undecided (too few seeds)"
    else:
        outcome = "no significant difference"
    return {"outcome": outcome, "what": what, "a": name_a, "b": name_b,
            "a_median": median_interval(a, level).as_dict(), "b_median": median_interval(b, level).as_dict(),
            "difference": diff.as_dict(),
            "text": (f"{outcome}: median {what} {name_a} {median_interval(a, level).text()} vs {name_b} "
                     f"{median_interval(b, level).text()}; median difference {diff.text()}"
                     + (f" ({diff.level:.1%} order-statistic interval, {diff.n} seeds)" if diff.level else ""))}

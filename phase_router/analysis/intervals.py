"""Intervals over seeds, one place for every planning number (docs/METRICS.md, "Intervals").

- ``mean_interval``: the mean of a per-seed figure with a 95 % bootstrap percentile interval.
- ``paired_difference``: a vs b on the same seeds, the mean of a - b with its bootstrap interval;
  "significant" only when the interval excludes 0.
- ``order_statistic_rank`` / ``conformal_bound``: a bound that a fresh seed stays under with
  probability >= p, with 90 % confidence over the n exchangeable seeds it is fitted on (an order
  statistic, exact, no distribution assumed). Needs n >= log(0.1) / log(p) (22 for p = 0.9, 230
  for 0.99); ``seeds_needed`` is the default count, 10 / (1 - p).
- ``proportion_interval``: the Wilson score interval of a rate such as "seeds with a drop".
- ``median_interval`` / ``paired_verdict``: distribution-free intervals for a median from order
  statistics (the sign-test interval: exact coverage from the binomial distribution), and a
  verdict on paired differences; `phase-router evaluate` states its verdicts with these.

The bootstrap uses a fixed generator, so every printed interval is reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._internal.shares import check_fraction

LEVEL = 0.95
RESAMPLES = 2000
_BOOTSTRAP_SEED = 20260613


def _bootstrap_means(values: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(_BOOTSTRAP_SEED)
    index = rng.integers(0, values.size, size=(RESAMPLES, values.size))
    return values[index].mean(axis=1)


def mean_interval(values, level: float = LEVEL) -> dict:
    """{"mean", "low", "high", "seeds"}: the mean with its bootstrap percentile interval; level
    is a fraction (0.95 means 95 %), as every probability is (_internal/shares.py)."""
    level = check_fraction(level, "level")
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return {"mean": 0.0, "low": 0.0, "high": 0.0, "seeds": 0}
    if x.size == 1 or np.all(x == x[0]):
        return {"mean": float(x.mean()), "low": float(x.min()), "high": float(x.max()), "seeds": int(x.size)}
    means = _bootstrap_means(x)
    tail = (1 - level) / 2 * 100
    return {"mean": float(x.mean()), "low": float(np.percentile(means, tail)),
            "high": float(np.percentile(means, 100 - tail)), "seeds": int(x.size)}


def paired_difference(a, b, level: float = LEVEL) -> dict:
    """Mean of a - b over the same seeds with its bootstrap interval, and whether it excludes 0."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    ci = mean_interval(d, level)
    ci["significant"] = bool(ci["low"] > 0 or ci["high"] < 0)
    return ci


def seeds_needed(p: float) -> int:
    """The default seed count for a probability-p bound: 10 / (1 - p) (1000 for p = 0.99)."""
    return math.ceil(10 / (1 - p) - 1e-9)


CONFIDENCE = 0.9  # the chance, over the fitting seeds, that a bound's coverage is at least p


def _binomial_cdf(x: int, n: int, p: float) -> float:
    """P(Binomial(n, p) <= x), summed in log space (n up to tens of thousands)."""
    if x < 0:
        return 0.0
    if x >= n:
        return 1.0
    lp, lq = math.log(p), math.log1p(-p)
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * lp + (n - i) * lq
            for i in range(x + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(v - top) for v in logs))


def order_statistic_rank(n: int, p: float, confidence: float = CONFIDENCE) -> int | None:
    """The smallest r such that the r-th smallest of n exchangeable values bounds a fresh one with
    probability >= p, with the given confidence over the n values: the coverage of the r-th order
    statistic is Beta(r, n + 1 - r), and P(Beta(r, n + 1 - r) >= p) = P(Binomial(n, p) <= r - 1).
    None when even r = n is not enough (too few seeds: n < log(1 - confidence) / log(p))."""
    for r in range(max(1, math.floor(p * n)), n + 1):
        if _binomial_cdf(r - 1, n, p) >= confidence:
            return r
    return None


def conformal_bound(values, p: float, *, upper: bool = True, confidence: float = CONFIDENCE) -> tuple[float, bool]:
    """(bound, guaranteed): the order statistic of order_statistic_rank (the r-th smallest for an
    upper bound, the r-th largest for a lower one) that a fresh seed's value stays under (above)
    with probability >= p, with that confidence. With too few seeds the sample extreme, flagged
    guaranteed = False. p and confidence are fractions in (0, 1)."""
    p, confidence = check_fraction(p, "p"), check_fraction(confidence, "confidence")
    x = np.sort(np.asarray(values, dtype=np.float64))
    if not upper:
        x = x[::-1]
    r = order_statistic_rank(x.size, p, confidence)
    return (float(x[-1]), False) if r is None else (float(x[r - 1]), True)


def proportion_interval(successes: int, trials: int) -> dict:
    """Wilson score 95 % interval of successes / trials (sound at 0 and at trials, unlike the
    normal approximation)."""
    if trials == 0:
        return {"rate": 0.0, "low": 0.0, "high": 1.0, "trials": 0}
    z = 1.959963984540054
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return {"rate": p, "low": low, "high": high, "trials": int(trials)}


def seed_warning(seeds: int, p: float) -> str | None:
    """The warning printed (stderr) and stored (JSON) when seeds < 10 / (1 - p)."""
    need = seeds_needed(p)
    if seeds >= need:
        return None
    return (f"{seeds} seeds are too few for a {p:.4g} bound: use at least {need} (10 / (1 - p)); "
            "the bound may hold less often than stated")


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


def _fair_binomial_cdf(j: int, n: int) -> float:
    """P(Binomial(n, 1/2) <= j), exactly (small n: a median's order-statistic interval)."""
    return sum(math.comb(n, i) for i in range(j + 1)) / 2**n


def median_interval(values, level: float = LEVEL) -> Interval:
    """The median with the narrowest symmetric order-statistic interval [x_(j), x_(n+1-j)] whose
    coverage P(x_(j) <= median <= x_(n+1-j)) = 1 - 2 P(Bin(n, 1/2) < j) is at least `level`.
    With n < 6 no such interval reaches 95 %: the interval is the whole range and level is 0."""
    level = check_fraction(level, "level")
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = int(x.size)
    if n == 0:
        raise ValueError("no values")
    median = float(np.median(x))
    best = None
    for j in range(1, n // 2 + 1):
        coverage = 1 - 2 * _fair_binomial_cdf(j - 1, n)
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

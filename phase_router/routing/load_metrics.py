"""The load metrics a RoutingStats reports (Gini, max/mean, loads relative to t_j), defined in
docs/METRICS.md with the rest of the metrics (analysis/metrics.py). Pure functions of small
vectors: O(E log E)."""

from __future__ import annotations

import numpy as np

from .._internal.vectors import check_vector
from ..errors import InvalidInputError

# The metrics; load_floats and loads_and_t are the input checks analysis/metrics.py shares.
__all__ = ["gini", "max_over_mean", "relative_loads"]


def load_floats(values, name: str = "loads") -> np.ndarray:
    """A checked vector of non-negative finite numbers, as float64 (the statistics' arithmetic)."""
    return check_vector(values, name, whole=False)


def loads_and_t(loads, t) -> tuple[np.ndarray, np.ndarray]:
    x, t = load_floats(loads), load_floats(t, "t")
    if x.size != t.size:
        raise InvalidInputError(f"loads has {x.size} entries but t has {t.size}; one per target is needed")
    return x, t


def gini(values) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, (n-1)/n when one holds
    everything; 0 for an all-zero vector. Mean-difference form on sorted values."""
    return checked_gini(load_floats(values, "values"))


def max_over_mean(values) -> float:
    """max / mean; 0 when the mean is 0 (nothing routed)."""
    return checked_max_over_mean(load_floats(values, "values"))


def relative_loads(loads, t) -> np.ndarray:
    """c_j / t_j for targets with t_j > 0 (load relative to capacity; t_j = 0 targets excluded,
    since no phase route can reach them)."""
    return checked_relative_loads(*loads_and_t(loads, t))


def mean_of(x: np.ndarray) -> float:
    """x.mean() of a non-empty vector, bit for bit, without NumPy's Python wrapper around it
    (which costs more than the pass on a vector of a few hundred entries): one add.reduce,
    accumulating in float64, and one division by the count, as ndarray.mean does."""
    return float(np.add.reduce(x, dtype=np.float64) / x.size)


# The same metrics of vectors checked already (load_floats: float64, finite, non-negative), for a
# routing's statistics, whose loads and t come checked from the routing: checking them again per
# metric cost more than the metrics on the vectors of a small batch.

def checked_gini(x: np.ndarray) -> float:
    x = np.sort(x)
    n, total = x.size, float(x.sum())
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float((2.0 * (ranks * x).sum()) / (n * total) - (n + 1) / n)


def checked_max_over_mean(x: np.ndarray) -> float:
    mean = mean_of(x) if x.size else 0.0
    return float(np.maximum.reduce(x) / mean) if mean > 0 else 0.0


def checked_relative_loads(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    return x[t > 0] / t[t > 0]

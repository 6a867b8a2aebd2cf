"""Load statistics of column loads c_j (routes per target), shared by RoutingStats, the
seed-averaged statistics and compare-hash. Pure functions of small vectors: O(E log E)."""

from __future__ import annotations

import numpy as np

from .._internal.validate import check_real, check_vector
from ..errors import InvalidInputError


def _floats(values, name: str = "loads") -> np.ndarray:
    """A checked vector of non-negative finite numbers, as float64 (the statistics' arithmetic)."""
    return check_vector(values, name, whole=False)


def _loads_and_t(loads, t) -> tuple[np.ndarray, np.ndarray]:
    x, t = _floats(loads), _floats(t, "t")
    if x.size != t.size:
        raise InvalidInputError(f"loads has {x.size} entries but t has {t.size}; one per target is needed")
    return x, t


def gini(values) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, (n-1)/n when one holds
    everything; 0 for an all-zero vector. Mean-difference form on sorted values."""
    x = np.sort(_floats(values, "values"))
    n, total = x.size, float(x.sum())
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float((2.0 * (ranks * x).sum()) / (n * total) - (n + 1) / n)


def max_over_mean(values) -> float:
    """max / mean; 0 when the mean is 0 (nothing routed)."""
    x = _floats(values, "values")
    mean = float(x.mean()) if x.size else 0.0
    return float(x.max() / mean) if mean > 0 else 0.0


def relative_loads(loads, t) -> np.ndarray:
    """c_j / t_j for targets with t_j > 0 (load relative to capacity; t_j = 0 targets excluded,
    since no phase route can reach them)."""
    x, t = _loads_and_t(loads, t)
    return x[t > 0] / t[t > 0]


def load_summary(loads, t=None) -> dict:
    """max, mean, std, max/mean, MaxVio = max/mean - 1, Gini and empty targets of c_j; with t,
    the same max/mean for c_j / t_j."""
    x = _floats(loads)
    ratio = max_over_mean(x)
    out = {
        "max": float(x.max()) if x.size else 0.0,
        "mean": float(x.mean()) if x.size else 0.0,
        "std": float(x.std()) if x.size else 0.0,
        "max_over_mean": ratio,
        "max_violation": ratio - 1.0 if ratio > 0 else 0.0,
        "gini": gini(x),
        "empty_targets": int(np.count_nonzero(x == 0)),
    }
    if t is not None:
        out["relative_max_over_mean"] = max_over_mean(relative_loads(x, t))
    return out


def overflow(loads, capacity) -> int:
    """Routes that do not fit: sum of max(0, c_j - capacity_j) (capacity per target, or one
    number for all). These are the dropped routes (MoE: dropped token assignments)."""
    x = check_vector(loads, "loads")
    if isinstance(capacity, (int, np.integer)) and not isinstance(capacity, (bool, np.bool_)):
        cap = check_vector([capacity], "capacity")
    else:
        cap = check_vector(capacity, "capacity")
        if cap.size != x.size:
            raise InvalidInputError(f"capacity has {cap.size} entries but loads has {x.size}; give one number "
                                    f"or one per target")
    return int(np.maximum(x - cap, 0).sum())


def relative_spread(values) -> float:
    """std / mean (coefficient of variation); 0 when the mean is 0. Scale-free, so routers that
    route different totals compare fairly (absolute std favours the one that routes less)."""
    x = _floats(values, "values")
    mean = float(x.mean()) if x.size else 0.0
    return float(x.std() / mean) if mean > 0 else 0.0


def max_load_per_t(loads, t) -> float:
    """max_j L_j / t_j over targets with t_j > 0: the fullest target's load against its t_j."""
    rel = relative_loads(loads, t)
    return float(rel.max()) if rel.size else 0.0


def relative_max_over_mean(loads, t) -> float:
    """max_j (L_j / t_j) / (sum L / sum t) over targets with t_j > 0: max/mean after weighting
    each target by its t_j (1 when loads follow t_j exactly)."""
    x, t = _loads_and_t(loads, t)
    x = x[t > 0]
    total = float(x.sum())
    return max_load_per_t(loads, t) / (total / float(t[t > 0].sum())) if total > 0 else 0.0


def dropped_fraction(loads, capacity_factor: float) -> float:
    """Share of routes beyond capacity ceil(factor * mean load) on every target (the MoE rule:
    capacity = factor * routes / targets)."""
    x = check_vector(loads, "loads")
    capacity_factor = check_real(capacity_factor, "capacity factor", above=0.0, maximum=1e6)
    total = int(x.sum())
    if total == 0:
        return 0.0
    cap = int(np.ceil(capacity_factor * total / x.size))
    return overflow(x, cap) / total

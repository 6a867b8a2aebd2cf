"""Load statistics of column loads c_j (routes per target), shared by the seed-averaged
statistics and compare-hash; the ones RoutingStats reports too (Gini, max/mean, relative loads)
are in routing/load_metrics.py. Pure functions of small vectors: O(E log E)."""

from __future__ import annotations

import numpy as np

from .._internal.scalars import check_real
from .._internal.vectors import check_vector
from ..errors import InvalidInputError
from ..routing.load_metrics import gini, load_floats, loads_and_t, max_over_mean, relative_loads


def load_summary(loads, t=None) -> dict:
    """max, mean, std, max/mean, MaxVio = max/mean - 1, Gini and empty targets of c_j; with t,
    the same max/mean for c_j / t_j."""
    x = load_floats(loads)
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
    x = load_floats(values, "values")
    mean = float(x.mean()) if x.size else 0.0
    return float(x.std() / mean) if mean > 0 else 0.0


def max_load_per_t(loads, t) -> float:
    """max_j L_j / t_j over targets with t_j > 0: the fullest target's load against its t_j."""
    rel = relative_loads(loads, t)
    return float(rel.max()) if rel.size else 0.0


def relative_max_over_mean(loads, t) -> float:
    """max_j (L_j / t_j) / (sum L / sum t) over targets with t_j > 0: max/mean after weighting
    each target by its t_j (1 when loads follow t_j exactly)."""
    x, t = loads_and_t(loads, t)
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

"""Load statistics of column loads c_j (routes per target), shared by RoutingStats, the
seed-averaged statistics and compare-hash. Pure functions of small vectors: O(E log E)."""

from __future__ import annotations

import numpy as np


def gini(values) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal, (n-1)/n when one holds
    everything; 0 for an all-zero vector. Mean-difference form on sorted values."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = x.size, float(x.sum())
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float((2.0 * (ranks * x).sum()) / (n * total) - (n + 1) / n)


def max_over_mean(values) -> float:
    """max / mean; 0 when the mean is 0 (nothing routed)."""
    x = np.asarray(values, dtype=np.float64)
    mean = float(x.mean()) if x.size else 0.0
    return float(x.max() / mean) if mean > 0 else 0.0


def relative_loads(loads, t) -> np.ndarray:
    """c_j / t_j for targets with t_j > 0 (load relative to capacity; t_j = 0 targets excluded,
    since no phase route can reach them)."""
    t = np.asarray(t, dtype=np.float64)
    return np.asarray(loads, dtype=np.float64)[t > 0] / t[t > 0]


def load_summary(loads, t=None) -> dict:
    """max, mean, std, max/mean, MaxVio = max/mean - 1, Gini and empty targets of c_j; with t,
    the same max/mean for c_j / t_j."""
    x = np.asarray(loads, dtype=np.float64)
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
    x = np.asarray(loads, dtype=np.int64)
    return int(np.maximum(x - np.asarray(capacity, dtype=np.int64), 0).sum())

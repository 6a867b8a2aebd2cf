"""The original system's statistics module (its router_stats.py), under its names, signatures
and defaults, returning its fields — computed with this project's routing and corrected formulas
where the original's were wrong. docs/COMPAT.md lists every difference.

    from phase_router.compat import router_stats           # was: import router_stats
    stats = router_stats.monte_carlo_stats(S, T, k=32)     # S: M x E, T: E x M (0/1)
    stats["global_skew"], stats["ideal_mean"], stats["raw_samples"].shape

S and T may be 0/1 matrices (NumPy, PackedBits) or degree vectors (s, t: only row sums matter,
docs/SPEC.md). Sample i uses seed ``seed_base + i`` as the original did, and every sample is
deterministic, seed 0 included: these functions exist to compare and plan, which needs repeatable
samples (the routing calls of ``router`` keep the original's unseeded seed 0).
"""

from __future__ import annotations

import numpy as np

from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .._internal.memory import check_fits
from .._internal.scalars import check_count, check_flag, check_real
from .._internal.seeds import MAX_SEED_COUNT, check_ks
from .._internal.shares import check_fraction
from .._internal.vectors import as_array, check_degree_pair
from ..packed_bits import PackedBits
from ..routing.selection import policy
from ..routing.stats import column_loads
from ..routing.theory import expected_loads, wrap_count_warning
from ..errors import InvalidInputError
from ..routing.api import route_degrees

__all__ = ["analyze_routing_distribution", "estimate_expert_capacity", "monte_carlo_stats", "sample_many",
           "suggest_k_for_balance", "validate_routing_inputs"]


def _degrees(S, T) -> tuple[np.ndarray, np.ndarray]:
    """Row sums of 0/1 matrices, or degree vectors given directly (1-D)."""
    if _ndim(S, "S") == 1 and _ndim(T, "T") == 1:
        return check_degree_pair(S, T)
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return s, t


def _ndim(x, name: str) -> int:
    if isinstance(x, PackedBits) or hasattr(x, "ndim"):
        return 2 if isinstance(x, PackedBits) else int(x.ndim)
    return as_array(x, name).ndim  # a list: ragged ones are refused here with a typed error


def _loads(s: np.ndarray, t: np.ndarray, k: int, num_samples: int, seed_base: int, select: str) -> np.ndarray:
    num_samples = check_count(num_samples, "num_samples", maximum=MAX_SEED_COUNT)
    policy(select)
    check_fits(num_samples * int(t.size) * 8, f"the loads of {num_samples} samples x E={t.size} targets",
               "use fewer samples")
    seed_base = check_count(seed_base, "seed_base", minimum=0, maximum=2**64 - num_samples)
    return np.stack([column_loads(route_degrees(s, t, k, seed=seed_base + x, select=select).routes, t.size)
                     for x in range(num_samples)]).astype(np.int64)


def sample_many(S, T, k: int, num_samples: int = 16, seed_base: int = 42, *, select: str = "random") -> np.ndarray:
    """Column loads of `num_samples` routings (seeds seed_base + i): shape (num_samples, E)."""
    s, t = _degrees(S, T)
    return _loads(s, t, check_count(k, "k"), num_samples, seed_base, select)


def _summary(loads: np.ndarray, s: np.ndarray, t: np.ndarray, k: int) -> dict:
    mean_load = loads.mean(axis=0)
    max_load = loads.max(axis=0)
    temporal_skew = np.ones_like(mean_load)
    loaded = mean_load > 0
    temporal_skew[loaded] = max_load[loaded] / mean_load[loaded]
    ideal_mean = expected_loads(s, t, k)  # corrected: T's row sums, the cap and the wrap count
    bias = mean_load - ideal_mean
    relative_error = np.zeros_like(mean_load)
    nonzero = ideal_mean > 0
    relative_error[nonzero] = bias[nonzero] / ideal_mean[nonzero]
    overall = float(mean_load.mean())
    return {
        "mean_load": mean_load,
        "std_load": loads.std(axis=0),
        "p95_load": np.percentile(loads, 95, axis=0),
        "max_load": max_load,
        "temporal_skew": temporal_skew,
        "global_skew": float(mean_load.max() / overall) if overall > 0 else 0.0,
        "ideal_mean": ideal_mean,
        "bias": bias,
        "relative_error": relative_error,
        "raw_samples": loads,
    }


def monte_carlo_stats(S, T, k: int, num_samples: int = 32, seed_base: int = 42, *,
                      select: str = "random") -> dict:
    """Seed-averaged column-load statistics: the original's fields (mean_load, std_load, p95_load,
    max_load, temporal_skew, global_skew, ideal_mean, bias, relative_error, raw_samples,
    num_samples, k, N) plus M and E."""
    s, t = _degrees(S, T)
    k = check_count(k, "k")
    loads = _loads(s, t, k, num_samples, seed_base, select)
    return {**_summary(loads, s, t, k), "num_samples": int(num_samples), "k": k, "N": int(s.size),
            "M": int(s.size), "E": int(t.size)}


def estimate_expert_capacity(S, T, k: int, confidence: float = 0.95, num_samples: int = 50, seed_base: int = 42, *,
                             select: str = "random") -> dict:
    """The original's per-column capacity at a percentile (mean_capacity, required_capacity,
    headroom, utilization, confidence_level, raw_samples, k, N), plus joint_required_capacity: one
    capacity under which every column stays at once in `confidence` of the samples (the
    original's per-column percentiles hold only marginally; see docs/COMPAT.md)."""
    confidence = check_fraction(confidence, "confidence")
    s, t = _degrees(S, T)
    k = check_count(k, "k")
    loads = _loads(s, t, k, num_samples, seed_base, select)
    mean_capacity = loads.mean(axis=0)
    required = np.percentile(loads, 100 * confidence, axis=0)
    return {
        "mean_capacity": mean_capacity,
        "required_capacity": required,
        "headroom": required - mean_capacity,
        "utilization": np.divide(mean_capacity, required, out=np.zeros_like(mean_capacity), where=required > 0),
        "joint_required_capacity": float(np.percentile(loads.max(axis=1), 100 * confidence)),
        "confidence_level": float(confidence),
        "raw_samples": loads,
        "k": k,
        "N": int(s.size),
    }


def validate_routing_inputs(S, T, k: int) -> dict:
    """The original's checks (warnings, is_valid, empty_rows, empty_cols, skew_ratio) for any
    M x E / E x M pair: empty_rows are sources with s_i = 0, empty_cols targets with t_j = 0
    (unreachable: a target's row of T is what the router reads), and a warning when the inputs
    sit in the wrap-count regime."""
    found: list[str] = []
    try:
        s, t = _degrees(S, T)
        k = check_count(k, "k")
    except InvalidInputError as exc:
        return {"warnings": [str(exc)], "is_valid": False, "empty_rows": [], "empty_cols": [], "skew_ratio": 1.0}
    empty_rows = np.flatnonzero(s == 0).tolist()
    empty_cols = np.flatnonzero(t == 0).tolist()
    if empty_rows:
        found.append(f"{len(empty_rows)} empty rows in S will get no routes (first: {empty_rows[:5]})")
    if empty_cols:
        found.append(f"{len(empty_cols)} targets with an empty row of T are unreachable (first: {empty_cols[:5]})")
    if k > t.size:
        found.append(f"k = {k} exceeds E = {t.size}: no source can take more than E targets")
    skew_ratio = float(t.max() / t.mean()) if t.size and t.max() > 0 else 1.0
    if skew_ratio > 10:
        found.append(f"T is highly skewed (max/mean of t_j = {skew_ratio:.1f}): expect heavy-tailed loads")
    wrap = wrap_count_warning(s, t, k)
    if wrap:
        found.append(wrap)
    return {"warnings": found, "is_valid": True, "empty_rows": empty_rows, "empty_cols": empty_cols,
            "skew_ratio": skew_ratio}


def suggest_k_for_balance(S, T, target_skew: float = 1.5, min_k: int = 8, max_k: int = 256, samples_per_k: int = 10,
                          seed_base: int = 42, verbose: bool = True, *, select: str = "random") -> dict:
    """The original's binary search for the smallest k in [min_k, max_k] with global_skew <=
    target_skew (recommended_k, achieved_skew, target_skew, search_results, stats, success,
    num_evaluations). Corrected: `success` and achieved_skew come from samples_per_k * 2 fresh
    seeds the search never saw (a search over noisy estimates otherwise reports a lucky k)."""
    target_skew = check_real(target_skew, "target_skew (max/mean)", minimum=1.0)
    verbose = check_flag(verbose, "verbose")
    s, t = _degrees(S, T)
    min_k, max_k = check_count(min_k, "min_k"), check_count(max_k, "max_k")
    if min_k > max_k:
        raise InvalidInputError(f"min_k ({min_k}) exceeds max_k ({max_k})")
    search_results = []
    low, high, best = min_k, max_k, None
    while low <= high:
        mid = (low + high) // 2
        stats = monte_carlo_stats(s, t, mid, samples_per_k, seed_base, select=select)
        search_results.append({"k": mid, "global_skew": stats["global_skew"], "mean_load": float(stats["mean_load"].mean()),
                               "max_load": float(stats["mean_load"].max())})
        if verbose:
            print(f"k={mid}: global skew {stats['global_skew']:.3f}")
        if 0 < stats["global_skew"] <= target_skew:
            best, high = mid, mid - 1
        else:
            low = mid + 1
    if best is None:
        best = min(search_results, key=lambda r: r["global_skew"] or np.inf)["k"]
    fresh = monte_carlo_stats(s, t, best, samples_per_k * 2, seed_base + 1_000_003, select=select)
    achieved = fresh["global_skew"]
    return {"recommended_k": best, "achieved_skew": achieved, "target_skew": float(target_skew),
            "search_results": search_results, "stats": fresh, "success": bool(0 < achieved <= target_skew),
            "num_evaluations": len(search_results)}


def analyze_routing_distribution(S, T, k_values=None, samples_per_k: int = 20, seed_base: int = 42, *,
                                 select: str = "random") -> dict:
    """Per k: global_skew, mean_load, max_load, std_load, p95_load, total_routes, edge_density
    and theoretical_density (corrected: the expected routes sum(min(k, E[c_i])) / (M E) instead of
    the original's k / N), plus the input validation."""
    s, t = _degrees(S, T)
    M, E = s.size, t.size
    if k_values is None:
        largest = min(256, E)
        k_values = sorted({int(4 * 1.5**i) for i in range(20) if int(4 * 1.5**i) <= largest}) or [1]
    k_values = check_ks(k_values, "k_values")
    expected_c = s.astype(np.float64) * float(t.sum()) / (M * E)
    results = []
    for k in k_values:
        stats = monte_carlo_stats(s, t, k, samples_per_k, seed_base, select=select)
        total = float(stats["mean_load"].sum())
        results.append({"k": int(k), "global_skew": stats["global_skew"], "mean_load": float(stats["mean_load"].mean()),
                        "max_load": float(stats["mean_load"].max()), "std_load": float(stats["std_load"].mean()),
                        "p95_load": float(stats["p95_load"].max()), "total_routes": total,
                        "edge_density": total / (M * E),
                        "theoretical_density": float(np.minimum(expected_c, k).sum() / (M * E))})
    return {"analysis_results": results, "k_values": [int(k) for k in k_values], "S_shape": (M, E),
            "T_shape": (E, M), "samples_per_k": samples_per_k,
            "input_validation": validate_routing_inputs(s, t, int(k_values[0]))}

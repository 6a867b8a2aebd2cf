"""Capacity planning from seed-averaged loads: what capacity per target keeps the load under it
with a given probability, what a capacity factor drops, and the smallest k meeting a target."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from .._internal.validate import check_count
from ..errors import InvalidInputError
from .metrics import max_over_mean
from .montecarlo import run_seeds
from .routers import as_degrees


@dataclass(frozen=True)
class CapacityEstimate:
    router: str
    k: int
    percentile: float
    seeds: int
    capacity_per_target: list  # per target: the percentile of its load over seeds (ceil)
    capacity_uniform: int  # one capacity for all targets: the percentile of the max load over seeds
    mean_load: float
    headroom: float  # capacity_uniform / mean load - 1
    utilisation: float  # mean load / capacity_uniform

    def to_dict(self) -> dict:
        d = asdict(self)
        per = np.asarray(self.capacity_per_target)
        d["capacity_per_target"] = {"min": int(per.min()), "max": int(per.max()), "sum": int(per.sum())}
        return d


def _check_percentile(p: float) -> float:
    if not 0 < float(p) <= 100:
        raise InvalidInputError(f"percentile must be in (0, 100], got {p}")
    return float(p)


def estimate_capacity(s, t, k: int, percentile: float = 99.0, seeds=range(100), *,
                      router_name: str = "phase") -> CapacityEstimate:
    s, t = as_degrees(s, t)
    k, percentile = check_count(k, "k"), _check_percentile(percentile)
    loads, _ = run_seeds(s, t, k, seeds, router_name=router_name)
    per_target = np.ceil(np.percentile(loads, percentile, axis=0, method="higher")).astype(int)
    uniform = int(np.ceil(np.percentile(loads.max(axis=1), percentile, method="higher")))
    mean = float(loads.mean())
    return CapacityEstimate(
        router=router_name, k=k, percentile=percentile, seeds=int(loads.shape[0]),
        capacity_per_target=per_target.tolist(), capacity_uniform=uniform, mean_load=mean,
        headroom=uniform / mean - 1 if mean > 0 else 0.0, utilisation=mean / uniform if uniform > 0 else 0.0,
    )


def dropped_routes(loads: np.ndarray, capacity_factor: float) -> tuple[int, int]:
    """(dropped, capacity) when every target holds ceil(factor * mean load) routes: the MoE
    rule, capacity = factor * routes / experts."""
    cap = math.ceil(capacity_factor * float(loads.mean()))
    return int(np.maximum(loads - cap, 0).sum()), cap


def overflow_fraction(s, t, k: int, capacity_factor: float, seeds=range(20), *, router_name: str = "phase") -> dict:
    """Fraction of routes dropped at capacity ceil(factor * mean load), mean and p95 over seeds."""
    s, t = as_degrees(s, t)
    k = check_count(k, "k")
    if not capacity_factor > 0:
        raise InvalidInputError(f"capacity factor must be positive, got {capacity_factor}")
    loads, active = run_seeds(s, t, k, seeds, router_name=router_name)
    fractions = np.array([dropped_routes(l, capacity_factor)[0] / a if a else 0.0 for l, a in zip(loads, active)])
    return {"router": router_name, "k": k, "capacity_factor": capacity_factor, "seeds": int(loads.shape[0]),
            "dropped_fraction_mean": float(fractions.mean()), "dropped_fraction_p95": float(np.percentile(fractions, 95)),
            "capacity": dropped_routes(loads[0], capacity_factor)[1]}


def moe_capacity(tokens: int, experts: int, top_k: int, capacity_factor: float = 1.25, seeds=range(20), *,
                 router_name: str = "phase") -> dict:
    """MoE dispatch under the one MoE model (phase_router.inputs.moe): every token may go to every
    expert (s_i = E) and each expert holds capacity = min(tokens, ceil(factor * tokens * top_k /
    experts)) assignments (t_j, so the phase router never exceeds it); any router's assignments
    beyond an expert's capacity are dropped in token order. Reports dropped assignments (capacity
    overflow and unfilled slots alike: top_k * tokens minus what is kept) and tokens that lost at
    least one expert."""
    tokens, experts = check_count(tokens, "tokens"), check_count(experts, "experts")
    top_k = check_count(top_k, "top_k", maximum=experts)
    if not capacity_factor > 0:
        raise InvalidInputError(f"capacity factor must be positive, got {capacity_factor}")
    from ..inputs.moe import moe_degrees
    from .routers import router

    s, t = moe_degrees(tokens, experts, top_k, capacity_factor)
    cap = int(t[0])
    fn = router(router_name)
    dropped, lost_tokens, max_load = [], [], []
    for seed in seeds:
        routes = fn(s, t, top_k, int(seed), 0)
        flat = routes.ravel()
        valid = flat >= 0
        # position of each assignment in its expert's queue, in token order
        order = np.argsort(flat[valid], kind="stable")
        sorted_targets = flat[valid][order]
        starts = np.searchsorted(sorted_targets, sorted_targets, side="left")
        queue = np.empty(order.size, dtype=np.int64)
        queue[order] = np.arange(order.size) - starts
        over = np.zeros(flat.size, dtype=bool)
        over[np.flatnonzero(valid)] = queue >= cap
        unfilled = ~valid  # a slot the router left empty is a dropped assignment too
        dropped.append(int(over.sum() + unfilled.sum()))
        lost_tokens.append(int((over | unfilled).reshape(routes.shape).any(axis=1).sum()))
        max_load.append(int(np.bincount(flat[valid], minlength=experts).max()))
    n = tokens * top_k
    return {"router": router_name, "tokens": tokens, "experts": experts, "top_k": top_k,
            "capacity_factor": capacity_factor, "capacity_per_expert": cap, "seeds": len(dropped),
            "dropped_assignments_mean": float(np.mean(dropped)), "dropped_fraction_mean": float(np.mean(dropped)) / n,
            "tokens_dropped_mean": float(np.mean(lost_tokens)), "max_load_mean": float(np.mean(max_load)),
            "max_over_mean": float(np.mean(max_load)) / (n / experts)}


@dataclass(frozen=True)
class KSuggestion:
    k: int | None  # None: no k meets the target
    reason: str
    evaluated: dict = field(default_factory=dict)  # k -> {"skew", "fill"}

    def to_dict(self) -> dict:
        return {"k": self.k, "reason": self.reason,
                "evaluated": {str(key): value for key, value in sorted(self.evaluated.items())}}


def suggest_k(s, t, *, target_skew: float | None = None, target_fill: float | None = None, seeds=range(10),
              k_max: int | None = None, router_name: str = "phase") -> KSuggestion:
    """With target_skew: the smallest k whose mean max/mean over seeds is <= the target. With
    target_fill: the largest k whose mean fill is >= the target (fill only falls as k grows).
    Both: the smallest k meeting the skew, if its fill also meets the target. Binary search over
    [1, k_max] (default E), each k evaluated once (cached); the skew is assumed to fall with k,
    which holds on average because more routes per row average out more."""
    if target_skew is None and target_fill is None:
        raise InvalidInputError("give a target skew (max/mean), a target fill, or both")
    s, t = as_degrees(s, t)
    k_max = check_count(k_max if k_max is not None else int(t.size), "k_max")
    seeds = list(seeds)
    cache: dict[int, dict] = {}

    def evaluate(k: int) -> dict:
        if k not in cache:
            loads, active = run_seeds(s, t, k, seeds, router_name=router_name)
            cache[k] = {"skew": float(np.mean([max_over_mean(l) for l in loads])),
                        "fill": float(active.mean() / (s.size * k))}
        return cache[k]

    def first_true(pred) -> int | None:
        lo, hi = 1, k_max
        if not pred(hi):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if pred(mid) else (mid + 1, hi)
        return lo

    if target_skew is not None:
        k = first_true(lambda k: 0 < evaluate(k)["skew"] <= target_skew)
        if k is None:
            at = evaluate(k_max)
            why = ("nothing is routed" if at["skew"] == 0 else
                   f"even at k = {k_max} max/mean is {at['skew']:.3f} > {target_skew}: "
                   f"the candidate sets themselves are that unbalanced (fill {at['fill']:.3f})")
            return KSuggestion(None, why, cache)
        if target_fill is not None and evaluate(k)["fill"] < target_fill:
            return KSuggestion(None, f"k = {k} is the smallest with max/mean <= {target_skew}, but its fill "
                               f"{evaluate(k)['fill']:.3f} is below {target_fill}: rows have too few candidates", cache)
        return KSuggestion(k, f"smallest k with mean max/mean <= {target_skew} over {len(seeds)} seeds", cache)
    # fill only: largest k with fill >= target, i.e. one below the first k that misses it
    miss = first_true(lambda k: evaluate(k)["fill"] < target_fill)
    if miss == 1:
        return KSuggestion(None, f"fill is {evaluate(1)['fill']:.3f} < {target_fill} already at k = 1: "
                           "that many rows have no candidate at all", cache)
    k = k_max if miss is None else miss - 1
    return KSuggestion(k, f"largest k with mean fill >= {target_fill} over {len(seeds)} seeds", cache)

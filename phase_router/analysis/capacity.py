"""Capacity planning that holds out of sample (docs/METRICS.md):

- ``estimate_capacity``: a **joint** capacity vector (all targets under their caps together in at
  least p of seeds, by split conformal calibration), the **marginal** per-target quantiles next to
  it (each target alone), and one uniform capacity (the max load's bound, joint by definition);
- ``overflow_fraction``: routes dropped at capacity factor x mean load, with intervals;
- ``moe_capacity``: MoE dispatch under the one MoE model (inputs/moe.py), for the model's
  capacities and the whole-wrap ones, against a top-k hash router at the same capacities.

The k search lives in analysis/suggest.py. Every bound comes with its seed count; fewer than
10 / (1 - p) seeds gives a warning (analysis/intervals.py).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from .._internal import shares
from .._internal.scalars import check_count, check_real
from .._internal.seeds import check_seeds
from .._internal.vectors import check_vector
from ..errors import InvalidInputError
from .intervals import conformal_bound, mean_interval, proportion_interval, seed_warning, seeds_needed
from .metrics import dropped_fraction
from .montecarlo import run_seeds
from .routers import DEFAULT_ROUTER, as_degrees

SCALE_FLOOR = 0.5  # the margin unit of a target that the fit seeds never loaded


@dataclass(frozen=True)
class CapacityEstimate:
    router: str
    k: int
    probability: float  # p: the stated chance, over seeds
    seeds: int
    joint_capacity_per_target: list  # all targets under these caps together in >= p of fresh seeds
    joint_guaranteed: bool  # False: too few calibration seeds for p; the caps are the sample extreme
    marginal_capacity_per_target: list  # each target alone under its cap in >= p of fresh seeds
    capacity_uniform: int  # one cap for all: the max load stays under it in >= p of fresh seeds
    uniform_guaranteed: bool
    marginal_joint_coverage: float  # fraction of these seeds with every target under its MARGINAL cap
    mean_load: float
    headroom: float  # capacity_uniform / mean load - 1
    utilisation: float  # mean load / capacity_uniform
    warnings: list = field(default_factory=list)

    @property
    def percentile(self) -> float:
        return 100 * self.probability

    def to_dict(self) -> dict:
        """Every field, the two per-target vectors whole, and beside each its min, max and sum
        (`joint_capacity_summary`, `marginal_capacity_summary`)."""
        d = asdict(self)
        for key in ("joint", "marginal"):
            per = np.asarray(d[f"{key}_capacity_per_target"])
            d[f"{key}_capacity_summary"] = {"min": int(per.min()), "max": int(per.max()), "sum": int(per.sum())}
        return d


def check_probability(p: float, what: str = "probability") -> float:
    """A chance over seeds: a fraction in (0, 1), by the one rule of _internal/shares.py."""
    return shares.check_probability(p, what)


def joint_caps(fit: np.ndarray, calibration: np.ndarray, p: float) -> tuple[np.ndarray, bool]:
    """Caps mu_j + z sqrt(mu_j) from the fit seeds' mean load mu_j per target, with one margin z:
    the conformal bound (analysis/intervals.py) of each calibration seed's worst standardised
    excess max_j (L_j - mu_j) / sqrt(mu_j). A fresh seed then has every target under its cap
    together with probability >= p (with 90 % confidence; exchangeable seeds, and the
    calibration seeds are not used for mu). sqrt(mu_j), the Poisson scale, is steadier than a
    per-target spread fitted on few seeds and gave smaller totals at the same coverage."""
    mu = fit.mean(axis=0)
    scale = np.sqrt(np.maximum(mu, SCALE_FLOOR ** 2))
    scores = ((calibration - mu) / scale).max(axis=1)
    z, guaranteed = conformal_bound(scores, p)
    return np.floor(mu + z * scale + 1e-9).astype(np.int64), guaranteed


def estimate_capacity(s, t, k: int, percentile: float = 99.0, seeds=None, *,
                      router_name: str = DEFAULT_ROUTER) -> CapacityEstimate:
    """Capacities for probability p = percentile / 100 over seeds (default 10 / (1 - p) seeds:
    half fit the per-target shape, half calibrate the joint margin). percentile is percent in
    [1, 100) (99 means 99 %); below 1 it is refused as ambiguous (_internal/shares.py)."""
    s, t = as_degrees(s, t)
    k = check_count(k, "k")
    p = shares.check_percentile(percentile, "percentile") / 100
    seeds = list(range(seeds_needed(p))) if seeds is None else check_seeds(seeds)
    if len(seeds) < 2:
        raise InvalidInputError("capacity needs at least 2 seeds (one to fit, one to calibrate)")
    loads, _ = run_seeds(s, t, k, seeds, router_name=router_name)
    half = len(seeds) // 2
    joint, joint_ok = joint_caps(loads[:half], loads[half:], p)
    marginal = np.array([conformal_bound(loads[:, j], p)[0] for j in range(loads.shape[1])], dtype=np.int64)
    uniform, uniform_ok = conformal_bound(loads.max(axis=1), p)
    uniform = int(uniform)
    warnings = [w for w in (seed_warning(len(seeds), p),) if w]
    if not joint_ok or not uniform_ok:
        warnings.append(f"not enough seeds for p = {p}: caps are the largest loads seen, with no guarantee")
    mean = float(loads.mean())
    return CapacityEstimate(
        router=router_name, k=k, probability=p, seeds=len(seeds),
        joint_capacity_per_target=joint.tolist(), joint_guaranteed=joint_ok,
        marginal_capacity_per_target=marginal.tolist(), capacity_uniform=uniform, uniform_guaranteed=uniform_ok,
        marginal_joint_coverage=float(np.mean(np.all(loads <= marginal, axis=1))), mean_load=mean,
        headroom=uniform / mean - 1 if mean > 0 else 0.0, utilisation=mean / uniform if uniform > 0 else 0.0,
        warnings=warnings)


def dropped_routes(loads: np.ndarray, capacity_factor: float) -> tuple[int, int]:
    """(dropped, capacity) when every target holds ceil(factor * mean load) routes: the MoE
    rule, capacity = factor * routes / experts."""
    loads, capacity_factor = check_vector(loads, "loads"), check_factor(capacity_factor)
    if loads.size == 0:
        raise InvalidInputError("loads is empty; at least one target is needed")
    cap = math.ceil(capacity_factor * float(loads.mean()))
    return int(np.maximum(loads - cap, 0).sum()), cap


def check_factor(capacity_factor: float) -> float:
    return check_real(capacity_factor, "capacity factor", above=0.0, maximum=1e6)


def overflow_fraction(s, t, k: int, capacity_factor: float, seeds=range(20), *, router_name: str = DEFAULT_ROUTER) -> dict:
    """Fraction of routes dropped at capacity ceil(factor * mean load): mean with its 95 %
    interval over seeds, and the share of seeds with any drop (Wilson interval)."""
    s, t = as_degrees(s, t)
    k, capacity_factor = check_count(k, "k"), check_factor(capacity_factor)
    loads, _ = run_seeds(s, t, k, seeds, router_name=router_name)
    fractions = np.array([dropped_fraction(l, capacity_factor) for l in loads])
    ci = mean_interval(fractions)
    any_drop = proportion_interval(int(np.count_nonzero(fractions > 0)), fractions.size)
    return {"router": router_name, "k": k, "capacity_factor": capacity_factor, "seeds": int(fractions.size),
            "dropped_fraction_mean": ci["mean"], "dropped_fraction_ci": [ci["low"], ci["high"]],
            "seeds_with_drops": any_drop["rate"], "seeds_with_drops_ci": [any_drop["low"], any_drop["high"]],
            "capacity": dropped_routes(loads[0], capacity_factor)[1]}


def _queue_drops(routes: np.ndarray, capacities: np.ndarray, experts: int) -> tuple[int, int, np.ndarray]:
    """Assignments beyond an expert's capacity are dropped in token order, and empty slots are
    dropped assignments too: (dropped assignments, tokens losing one or more, kept load per expert)."""
    flat = routes.ravel()
    valid = flat >= 0
    order = np.argsort(flat[valid], kind="stable")
    sorted_targets = flat[valid][order]
    starts = np.searchsorted(sorted_targets, sorted_targets, side="left")
    queue = np.empty(order.size, dtype=np.int64)
    queue[order] = np.arange(order.size) - starts
    over = np.zeros(flat.size, dtype=bool)
    over[np.flatnonzero(valid)] = queue >= capacities[flat[valid]]
    lost = over | ~valid
    kept = np.bincount(flat[valid & ~over], minlength=experts)
    return int(lost.sum()), int(lost.reshape(routes.shape).any(axis=1).sum()), kept


def moe_capacity(tokens: int, experts: int, top_k: int, capacity_factor: float = 1.25, seeds=range(100), *,
                 router_name: str = DEFAULT_ROUTER, compare_with: str | None = "hash") -> dict:
    """MoE dispatch under the one MoE model (inputs/moe.py: s_i = E; capacities t_j from the
    capacity factor), for two capacity options: the model's t_j = min(M, ceil(f k M / E)) and the
    whole-wrap capacities (inputs.whole_wrap_capacities, which avoid the wrap-count trap,
    routing/theory.py). For each option and router (the one asked, and a top-k hash router that
    sends every token to top_k uniformly drawn experts at the same capacities): dropped
    assignments (overflow in token order plus empty slots) / (tokens x top_k), tokens losing an
    expert / tokens, and max/mean of the kept expert loads, each a mean with its 95 % interval,
    and the share of seeds with any drop (Wilson). Recommends the option with fewer drops."""
    from ..inputs.moe import moe_degrees, whole_wrap_capacities
    from .routers import router
    from ..routing.theory import wrap_count_warning

    tokens, experts = check_count(tokens, "tokens"), check_count(experts, "experts")
    top_k = check_count(top_k, "top_k", maximum=experts)
    capacity_factor = check_factor(capacity_factor)
    seeds = check_seeds(seeds)
    router(router_name)
    if compare_with is not None and compare_with != "hash":
        router(compare_with)
    s, model_t = moe_degrees(tokens, experts, top_k, capacity_factor)
    options = {"model": model_t, "whole-wrap": whole_wrap_capacities(tokens, experts, top_k, capacity_factor)}
    names = [router_name] + ([compare_with] if compare_with and compare_with != router_name else [])
    n = tokens * top_k
    report = {"router": router_name, "tokens": tokens, "experts": experts, "top_k": top_k,
              "capacity_factor": capacity_factor, "seeds": len(seeds),
              "capacity_per_expert": int(model_t[0]), "options": {}}
    for option, t in options.items():
        t = np.asarray(t, dtype=np.uint32)
        caps = t.astype(np.int64)
        entry = {"capacities": {"min": int(t.min()), "max": int(t.max()), "sum": int(t.sum())},
                 "wrap_count_warning": wrap_count_warning(s, t, top_k), "routers": {}}
        for name in names:
            dropped, lost, skew, peak = [], [], [], []
            for seed in seeds:
                if name == "hash":  # a top-k hash router: every token takes top_k distinct experts
                    from .. import _core
                    routes = _core.hash_route(np.full(tokens, top_k, dtype=np.uint32), t, experts, top_k, seed, False, 1)
                else:
                    routes = router(name)(s, t, top_k, seed, 1)
                d, l, kept = _queue_drops(routes, caps, experts)
                dropped.append(d / n)
                lost.append(l / tokens)
                skew.append(float(kept.max() / kept.mean()) if kept.sum() else 0.0)
                peak.append(int(kept.max()))
            entry["routers"][name] = {
                "dropped_fraction": mean_interval(dropped), "tokens_dropped_fraction": mean_interval(lost),
                "expert_max_over_mean": mean_interval(skew), "expert_max_load": mean_interval(peak),
                "seeds_with_drops": proportion_interval(int(np.count_nonzero(dropped)), len(seeds))}
        report["options"][option] = entry
    report["max_load_mean"] = report["options"]["model"]["routers"][router_name]["expert_max_load"]["mean"]
    report["recommendation"] = recommend(report, router_name)
    report["warnings"] = [w for w in (seed_warning(len(seeds), 0.9),) if w]
    return report


def recommend(report: dict, name: str) -> str:
    """Among the options whose drop interval overlaps the best one's (no significant difference),
    prefer one outside the wrap-count regime, then the smallest total capacity (memory)."""
    options = report["options"]
    drops = {o: e["routers"][name]["dropped_fraction"] for o, e in options.items()}
    best = min(drops, key=lambda o: drops[o]["mean"])
    tied = [o for o in options if drops[o]["low"] <= drops[best]["high"]]
    pick = min(tied, key=lambda o: (options[o]["wrap_count_warning"] is not None, options[o]["capacities"]["sum"]))
    caps, d = options[pick]["capacities"], drops[pick]
    line = (f"use the {pick} capacities (t_j {caps['min']}..{caps['max']}, {caps['sum']} slots): {name} drops "
            f"{d['mean']:.4g} [{d['low']:.4g}, {d['high']:.4g}] of assignments")
    for other in options:
        if other != pick:
            o = drops[other]
            line += (f"; {other}: {o['mean']:.4g} [{o['low']:.4g}, {o['high']:.4g}], "
                     f"{options[other]['capacities']['sum']} slots"
                     + (", in the wrap-count regime" if options[other]["wrap_count_warning"] else ""))
    return line

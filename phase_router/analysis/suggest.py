"""suggest-k: the k that meets a target on at least a stated share of fresh seeds, checked on
held-out seeds inside the search (docs/METRICS.md).

A k *meets* a skew target when the conformal upper bound (analysis/intervals.py) of its per-seed
max/mean over the fit seeds is <= the target: a fresh seed's max/mean stays under the target with
probability >= p, with 90 % confidence. A fill target is met when the conformal lower bound of
the per-seed fill is >= the target. The search uses the fit seeds only; the k it finds is then
routed on validation seeds it never saw, and the share of those meeting the target (with its
Wilson interval) is reported. If that share is below p, k steps on (up for skew, down for fill)
and is validated again, at most MAX_STEPS times. A binary search over means would pick a lucky k
(a noisy mean crosses the target by chance); bounds over seeds do not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._internal.scalars import check_count, check_real
from .._internal.shares import check_fraction
from .._internal.seeds import MAX_SEED_COUNT, check_seeds
from ..errors import InvalidInputError
from .capacity import check_probability
from .intervals import conformal_bound, proportion_interval, seed_warning, seeds_needed
from .metrics import max_over_mean
from .montecarlo import run_seeds
from .routers import DEFAULT_ROUTER, as_degrees, router

VALIDATION_START = 1 << 40  # validation seeds start here: disjoint from any fit seeds 0..n-1
MAX_STEPS = 8


@dataclass(frozen=True)
class KSuggestion:
    k: int | None  # None: no k meets the target
    met: bool
    reason: str
    probability: float
    fit_seeds: int
    validation_seeds: int
    validated_rate: float  # share of validation seeds on which k met the target
    validated_rate_ci: list
    best_k: int  # when nothing meets: the k that came closest, and its figure
    best_figure: dict
    evaluated: dict = field(default_factory=dict)  # k -> figures on the fit seeds
    warnings: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """Keys in a fixed order, k numeric, evaluated as a list ascending in k."""
        return {"k": self.k, "met": self.met, "probability": self.probability, "fit_seeds": self.fit_seeds,
                "validation_seeds": self.validation_seeds, "validated_rate": self.validated_rate,
                "validated_rate_ci": self.validated_rate_ci, "best_k": self.best_k,
                "best_figure": {name: _finite(v) for name, v in self.best_figure.items()},
                "reason": self.reason, "warnings": list(self.warnings),
                "evaluated": [{"k": key, **{name: _finite(v) for name, v in value.items()}}
                              for key, value in sorted(self.evaluated.items())]}


def _finite(value):
    """JSON has no infinity: a bound that cannot be met (nothing routed) is null."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


def check_targets(target_skew, target_fill) -> None:
    if target_skew is None and target_fill is None:
        raise InvalidInputError("give a target skew (max/mean), a target fill, or both")
    if target_skew is not None:
        check_real(target_skew, "target skew (max/mean)", minimum=1.0)
    if target_fill is not None:
        check_fraction(target_fill, "target fill (a share of M k slots)", one=True)


def suggest_k(s, t, *, target_skew: float | None = None, target_fill: float | None = None, probability: float = 0.9,
              seeds=None, validation_seeds: int | None = None, k_max: int | None = None,
              router_name: str = DEFAULT_ROUTER) -> KSuggestion:
    """With target_skew: the smallest k meeting it (max/mean <= target on >= p of seeds). With
    target_fill: the largest k meeting it (fill >= target). Both: the smallest k meeting the
    skew, if it also meets the fill. probability is a fraction in (0, 1) (0.9 means 90 %), as is
    target_fill in (0, 1]; a percentage is refused with a hint (_internal/shares.py). seeds: the fit seeds (default 0 .. 10 / (1 - p) - 1);
    validation_seeds: how many held-out seeds check the answer (default the same count)."""
    check_targets(target_skew, target_fill)
    p = check_probability(probability)
    s, t = as_degrees(s, t)
    k_max = check_count(k_max if k_max is not None else int(t.size), "k_max")
    fit = list(range(seeds_needed(p))) if seeds is None else check_seeds(seeds)
    router(router_name)
    n_val = check_count(validation_seeds if validation_seeds is not None else len(fit), "validation seeds",
                        maximum=MAX_SEED_COUNT)
    held_out = range(VALIDATION_START, VALIDATION_START + n_val)
    cache: dict[int, dict] = {}

    def per_seed(k: int, seed_list) -> tuple[np.ndarray, np.ndarray]:
        loads, active = run_seeds(s, t, k, seed_list, router_name=router_name)
        return np.array([max_over_mean(l) for l in loads]), active / (s.size * k)

    def hits(skew: np.ndarray, fill: np.ndarray) -> np.ndarray:
        ok = np.ones(skew.size, dtype=bool)
        if target_skew is not None:
            ok &= (skew > 0) & (skew <= target_skew)
        if target_fill is not None:
            ok &= fill >= target_fill
        return ok

    def evaluate(k: int) -> dict:
        if k not in cache:
            skew, fill = per_seed(k, fit)
            skew_bound = conformal_bound(skew, p)[0] if np.all(skew > 0) else math.inf
            cache[k] = {"skew_mean": float(skew.mean()), "skew_bound": skew_bound,
                        "fill_mean": float(fill.mean()), "fill_bound": conformal_bound(fill, p, upper=False)[0],
                        "fit_rate": float(hits(skew, fill).mean())}
        return cache[k]

    def meets_skew(k: int) -> bool:
        return evaluate(k)["skew_bound"] <= target_skew

    def meets_fill(k: int) -> bool:
        return evaluate(k)["fill_bound"] >= target_fill

    def first_true(pred, lo: int = 1) -> int | None:
        hi = k_max
        if lo > hi or not pred(hi):
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if pred(mid) else (mid + 1, hi)
        return lo

    if target_skew is not None:
        k = first_true(meets_skew)
        step = +1
    else:
        miss = first_true(lambda k: not meets_fill(k))
        k = k_max if miss is None else (miss - 1 if miss > 1 else None)
        step = -1
    if k is not None and target_skew is not None and target_fill is not None and not meets_fill(k):
        k = None
    validated = (0.0, proportion_interval(0, 0))
    steps = 0
    while k is not None:
        ok = hits(*per_seed(k, held_out))
        validated = (float(ok.mean()), proportion_interval(int(ok.sum()), ok.size))
        if validated[0] >= p:
            break
        steps += 1
        nxt = k + step * max(1, k // 8)
        if steps > MAX_STEPS or not 1 <= nxt <= k_max:
            k = None
            break
        k = nxt
        evaluate(k)
    warnings = [w for w in (seed_warning(len(fit), p),) if w]
    figure = "skew_bound" if target_skew is not None else "fill_bound"
    best_k = (min if target_skew is not None else max)(cache, key=lambda key: (cache[key][figure], key))
    best = {"skew_bound": cache[best_k]["skew_bound"], "fill_bound": cache[best_k]["fill_bound"],
            "fit_rate": cache[best_k]["fit_rate"]}
    want = " and ".join(x for x in (f"max/mean <= {target_skew}" if target_skew is not None else "",
                                      f"fill >= {target_fill}" if target_fill is not None else "") if x)
    if k is None:
        reason = (f"no k in [1, {k_max}] has {want} on {p:.0%} of seeds; closest: k = {best_k} "
                  f"(max/mean bound {best['skew_bound']:.4g}, fill bound {best['fill_bound']:.4g})")
        return KSuggestion(None, False, reason, p, len(fit), n_val, validated[0],
                           [validated[1]["low"], validated[1]["high"]], best_k, best, cache, warnings)
    which = "smallest" if target_skew is not None else "largest"
    reason = (f"{which} k with {want} on >= {p:.0%} of seeds (bound over {len(fit)} fit seeds); "
              f"met on {validated[0]:.1%} of {n_val} held-out seeds")
    return KSuggestion(k, True, reason, p, len(fit), n_val, validated[0], [validated[1]["low"], validated[1]["high"]],
                       best_k if k is None else k, {key: cache[k][key] for key in ("skew_bound", "fill_bound", "fit_rate")},
                       cache, warnings)

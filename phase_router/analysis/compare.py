"""compare-hash: every router on the same inputs, the same seeds and the same route counts
(analysis/like_for_like.py), each metric with a bootstrap interval over seeds, and verdicts that
name their metric and say "no significant difference" when the paired interval contains 0.
Metrics are defined in docs/METRICS.md."""

from __future__ import annotations

import statistics
import time

import numpy as np

from .. import _core
from .intervals import mean_interval, paired_difference
from .like_for_like import RULE, candidate_matrix, check_feasible, phase_counts, route
from .metrics import (dropped_fraction, gini, max_load_per_t, max_over_mean, relative_max_over_mean,
                      relative_spread)
from .routers import BASELINE_ROUTERS, DEFAULT_ROUTER, PHASE_ROUTERS, as_degrees, check_router_names
from .._internal.routes import check_output_fits
from .._internal.scalars import check_count
from .._internal.seeds import check_seeds

METRICS = ("max_over_mean", "relative_max_over_mean", "max_load_per_t", "relative_spread", "gini", "fill",
           "dropped_at_1_0", "dropped_at_1_25")
# The verdict metrics: raw balance, and balance relative to t_j (what the phase router aims at).
VERDICT_METRICS = {"max_over_mean": "max/mean load", "relative_max_over_mean": "max (L_j/t_j) / mean"}
# A percentile is reported only with at least 10 / (1 - p) seeds (docs/METRICS.md).
PERCENTILES = ((50, 1), (90, 100), (99, 1000))


def default_routers() -> tuple[str, ...]:
    """The phase router under every policy and the baselines; the other candidate sources'
    routers (ROUTERS lists them too) are compared when named."""
    return (*PHASE_ROUTERS, *BASELINE_ROUTERS)


def _seed_metrics(loads: np.ndarray, t: np.ndarray, active: int, M: int, k: int) -> dict:
    return {"max_over_mean": max_over_mean(loads), "relative_max_over_mean": relative_max_over_mean(loads, t),
            "max_load_per_t": max_load_per_t(loads, t), "relative_spread": relative_spread(loads),
            "gini": gini(loads), "fill": active / (M * k),
            "dropped_at_1_0": dropped_fraction(loads, 1.0), "dropped_at_1_25": dropped_fraction(loads, 1.25)}


def compare(s, t, k: int, seeds, routers=None, *, feasible: str = "all") -> dict:
    """{"rule", "feasible", "seeds", "routers": {name: summary}, "per_seed": {name: {metric: [..]}},
    "verdicts": [...]}. Every router routes each seed with the phase router's counts at that
    seed; times are wall-clock per routing on one thread."""
    s, t = as_degrees(s, t)
    feasible = check_feasible(feasible)
    k = check_count(k, "k")
    check_output_fits(int(s.size), k)
    routers = default_routers() if routers is None else check_router_names(routers)
    seeds = check_seeds(seeds)
    M, E = int(s.size), int(t.size)
    per_seed = {name: {m: [] for m in (*METRICS, "ms")} for name in routers}
    for seed in seeds:
        counts = phase_counts(s, t, k, seed)
        cand = candidate_matrix(s, t, seed) if feasible == "candidates" else None
        for name in routers:
            started = time.perf_counter()
            routes = route(name, s, t, k, seed, counts, feasible, cand)
            elapsed = (time.perf_counter() - started) * 1e3
            active, _, loads = _core.route_summary(routes, E, 1)
            for key, value in _seed_metrics(loads, t, int(active), M, k).items():
                per_seed[name][key].append(value)
            per_seed[name]["ms"].append(elapsed)
    summaries = {name: summarize(per_seed[name]) for name in routers}
    return {"rule": RULE, "feasible": feasible, "seeds": len(seeds), "routers": summaries,
            "per_seed": per_seed, "verdicts": verdicts(per_seed)}


def summarize(rows: dict) -> dict:
    out = {}
    n = len(rows["max_over_mean"])
    for metric in METRICS:
        ci = mean_interval(rows[metric])
        out[metric] = ci["mean"]
        out[f"{metric}_ci"] = [ci["low"], ci["high"]]
    for p, need in PERCENTILES:
        if n >= need:
            out[f"max_over_mean_p{p}"] = float(np.percentile(rows["max_over_mean"], p))
    out["maxvio"] = out["max_over_mean"] - 1 if out["max_over_mean"] > 0 else 0.0
    out["ms_median"] = float(statistics.median(rows["ms"]))
    return out


def compare_routers(s, t, k: int, seeds, routers=None, *, feasible: str = "all") -> dict:
    """{router: summary over seeds} (compare()'s "routers")."""
    return compare(s, t, k, seeds, routers, feasible=feasible)["routers"]


def verdicts(per_seed: dict) -> list[dict]:
    """For each verdict metric: the best router by mean, and phase against every other router by
    the paired difference over the same seeds (phase - other; lower is better), significant only
    when its 95 % bootstrap interval excludes 0."""
    out = []
    for metric, label in VERDICT_METRICS.items():
        means = {name: float(np.mean(rows[metric])) for name, rows in per_seed.items()}
        entry = {"metric": metric, "label": label, "best": min(means, key=means.get), "against": {}}
        if DEFAULT_ROUTER in per_seed:
            for name in per_seed:
                if name == DEFAULT_ROUTER:
                    continue
                d = paired_difference(per_seed[DEFAULT_ROUTER][metric], per_seed[name][metric])
                d["outcome"] = ("no significant difference" if not d["significant"] else
                                "phase better" if d["mean"] < 0 else "phase worse")
                entry["against"][name] = d
        out.append(entry)
    return out


def verdict_lines(report: dict) -> list[str]:
    lines = []
    for v in report["verdicts"]:
        r = report["routers"]
        best = v["best"]
        lo, hi = r[best][f"{v['metric']}_ci"]
        line = f"{v['label']} (lower is better): best {best} {r[best][v['metric']]:.3f} [{lo:.3f}, {hi:.3f}]"
        parts = [f"{name}: {d['outcome']} (phase - {name} = {d['mean']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}])"
                 for name, d in v["against"].items()]
        if parts:
            line += "; phase vs " + "; ".join(parts)
        lines.append(line)
    return lines


def verdict(results_or_report: dict) -> str:
    """One text verdict per metric, joined (compare() report)."""
    return " | ".join(verdict_lines(results_or_report))

"""compare-hash: every router of phase_router.routers on the same inputs over the same seeds,
summarised per router, with a verdict that names the winner whoever it is."""

from __future__ import annotations

import statistics
import time

import numpy as np

from .. import _core
from .capacity import dropped_routes
from .metrics import gini, max_over_mean
from .routers import ROUTERS, as_degrees, router

STATELESS = ("phase", "phase-greedy", "hash", "hash-weighted")


def compare_routers(s, t, k: int, seeds, routers=tuple(ROUTERS)) -> dict:
    """{router: summary over seeds}. Times are wall-clock per routing (measured, one thread)."""
    s, t = as_degrees(s, t)
    E = int(t.size)
    out = {}
    for name in routers:
        fn = router(name)
        rows = []
        for seed in seeds:
            started = time.perf_counter()
            routes = fn(s, t, k, int(seed), 1)
            elapsed = (time.perf_counter() - started) * 1e3
            active, _, loads = _core.route_summary(routes, E, 1)
            ratio = max_over_mean(loads)
            rows.append({"max_over_mean": ratio, "std": float(loads.std()), "gini": gini(loads),
                         "fill": active / (s.size * k),
                         "dropped_1_0": dropped_routes(loads, 1.0)[0] / active if active else 0.0,
                         "dropped_1_25": dropped_routes(loads, 1.25)[0] / active if active else 0.0,
                         "ms": elapsed})
        col = lambda key: np.array([r[key] for r in rows])  # noqa: E731
        mm = col("max_over_mean")
        out[name] = {
            "max_over_mean_p50": float(np.percentile(mm, 50)), "max_over_mean_p99": float(np.percentile(mm, 99)),
            "maxvio_p50": float(np.percentile(mm, 50)) - 1, "maxvio_p99": float(np.percentile(mm, 99)) - 1,
            "std_mean": float(col("std").mean()), "gini_mean": float(col("gini").mean()),
            "fill_mean": float(col("fill").mean()), "dropped_at_1_0": float(col("dropped_1_0").mean()),
            "dropped_at_1_25": float(col("dropped_1_25").mean()), "ms_median": statistics.median(col("ms")),
        }
    return out


def verdict(results: dict) -> str:
    """One line: who had the lowest median max/mean, and how the default phase router did."""
    best = min(results, key=lambda r: results[r]["max_over_mean_p50"])
    b = results[best]["max_over_mean_p50"]
    line = f"{best} won (median max/mean {b:.3f})"
    if "phase" in results and best != "phase":
        p = results["phase"]["max_over_mean_p50"]
        line += f"; phase (random) {p:.3f}"
        stateless = [r for r in results if r in STATELESS]
        best_stateless = min(stateless, key=lambda r: results[r]["max_over_mean_p50"])
        if best_stateless != best:
            line += f"; best stateless: {best_stateless} {results[best_stateless]['max_over_mean_p50']:.3f}"
        if "hash-weighted" in results:
            h = results["hash-weighted"]["max_over_mean_p50"]
            line += "; phase beat weighted hash" if p < h else "; phase lost to weighted hash" if p > h else "; phase tied weighted hash"
    return line

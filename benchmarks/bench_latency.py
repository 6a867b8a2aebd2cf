"""Per-call latency: the API against the kernel it calls and the floor of writing its output, on
the small shapes MoE layers and services route once per batch. Prints one JSON document
(python benchmarks/bench_latency.py [--reps 300]).

Per shape and thread setting (automatic, the default: one thread for a call of under about a
millisecond of work, else all cores; and one thread), interleaved call by call
so machine noise falls on all three alike:
  api     phase_router.route_degrees(s, t, k, seed=...): checks, the prepared Router, the
          selection kernel, what the statistics are made of (a copy of small routes, the
          kernel's load totals of larger ones) and warnings (Routing.stats is made on first
          access and not touched here)
  stats   the same call, then reading routing.stats (what a caller that wants them pays)
  kernel  phase_router._core.route_degrees: the prepared Router and the selection kernel alone
  floor   a fresh M x k int32 array filled with -1: writing the output and nothing else
  api_out, kernel_out   the same two calls writing into one M x k array kept across calls
          (out=), as a caller routing batch after batch would
Reported: medians and minimums in microseconds, api / kernel, kernel / floor and the kernel's
nanoseconds per route, fresh and into the kept array. Kept memory matters: a call whose result
is dropped before the next one frees its pages, and glibc may hand them back to the kernel, so
the next call takes page faults on its output and its scratch again.
MoE shapes use whole-wrap capacities (sum(t) a multiple of M), so no wrap-count warning fires.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time

import numpy as np

import phase_router as pr
from phase_router import _core
from phase_router._internal.threads import threads_for


def _shapes() -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    rng = np.random.default_rng(7)
    shapes = {"square N=256 k=64 density 0.5": (rng.binomial(256, 0.5, 256).astype(np.uint32),
                                                rng.binomial(256, 0.5, 256).astype(np.uint32), 64)}
    for tokens, experts, k in ((4096, 64, 2), (4096, 256, 8), (16384, 64, 2)):
        wraps = math.ceil(1.25 * k)  # capacity factor 1.25, rounded up to whole wraps of the ring
        s = np.full(tokens, experts, dtype=np.uint32)
        t = np.full(experts, wraps * tokens // experts, dtype=np.uint32)
        shapes[f"MoE {tokens} tokens x {experts} experts k={k}"] = (s, t, k)
    return shapes


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=300)
    args = parser.parse_args()
    results = []
    for name, (s, t, k) in _shapes().items():
        M = s.size  # noqa: N806
        kept = np.empty((M, k), dtype=np.int32)
        for threads in (0, 1):
            cases = {
                "api": lambda: pr.route_degrees(s, t, k, seed=1, threads=threads),
                "stats": lambda: pr.route_degrees(s, t, k, seed=1, threads=threads).stats,
                "kernel": lambda: _core.route_degrees(s, t, k, 1, False, threads_for(M, k, threads)),
                "floor": lambda: np.full((M, k), -1, dtype=np.int32),
                "api_out": lambda: pr.route_degrees(s, t, k, seed=1, threads=threads, out=kept),
                "kernel_out": lambda: _core.route_degrees(s, t, k, 1, False, threads_for(M, k, threads), kept),
            }
            for call in cases.values():  # warm up
                call()
            times: dict[str, list[float]] = {case: [] for case in cases}
            for _ in range(args.reps):
                for case, call in cases.items():
                    times[case].append(_timed(call))
            median = {case: statistics.median(us) for case, us in times.items()}
            results.append({
                "shape": name, "threads": threads or "automatic",
                "median_us": {case: round(us, 1) for case, us in median.items()},
                "min_us": {case: round(min(us), 1) for case, us in times.items()},
                "api_over_kernel": round(median["api"] / median["kernel"], 2),
                "stats_over_kernel": round(median["stats"] / median["kernel"], 2),
                "kernel_over_floor": round(median["kernel"] / median["floor"], 2),
                "api_out_over_kernel_out": round(median["api_out"] / median["kernel_out"], 2),
                "ns_per_route_kernel": round(1e3 * median["kernel"] / (M * k), 2),
                "ns_per_route_kernel_out": round(1e3 * median["kernel_out"] / (M * k), 2),
            })
    print(json.dumps({"reps": args.reps, "python": platform.python_version(), "cpu_path": pr.cpu_path,
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()

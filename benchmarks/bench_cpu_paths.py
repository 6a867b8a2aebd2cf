"""Kernel time per CPU path, side by side in one run (python benchmarks/bench_cpu_paths.py).

Each path this CPU can run is forced with PHASE_ROUTER_CPU in its own subprocess, which times
_core.route_degrees (density-0.5 degrees, a reused output array, one thread and the default
thread count) and hashes the routes; the paths are interleaved round by round so machine load
hits them alike. Each subprocess also times the output-write floor, filling the same reused
array with -1 (the least any router writing these routes must do), call by call with the
kernel. Prints one JSON document: per path, median and min ms of both, the kernel's median over
the floor's, and whether the routes are identical across paths."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

import phase_router as pr
from phase_router import _core

ORDER = ["baseline", "avx2", "avx512"]

CHILD = r"""
import hashlib, json, sys, time
import numpy as np
import phase_router as pr
from phase_router import _core
N, k, reps, threads = (int(x) for x in sys.argv[1:5])
rng = np.random.default_rng(0)
s = rng.binomial(N, 0.5, N).astype(np.uint32); t = rng.binomial(N, 0.5, N).astype(np.uint32)
out = _core.route_degrees(s, t, k, 1, False, threads)
floor = np.empty_like(out)
floor.fill(-1)
times, floors = [], []
for _ in range(reps):
    start = time.perf_counter()
    _core.route_degrees(s, t, k, 1, False, threads, out)
    middle = time.perf_counter()
    floor.fill(-1)
    floors.append((time.perf_counter() - middle) * 1e3)
    times.append((middle - start) * 1e3)
print(json.dumps({"path": pr.cpu_path, "times_ms": times, "floor_ms": floors,
                  "sha256": hashlib.sha256(out.tobytes()).hexdigest()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=4096)
    parser.add_argument("--k", type=int, default=512)
    parser.add_argument("--reps", type=int, default=15, help="timed runs per path per round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    paths = ORDER[: ORDER.index(_core.cpu_path_best) + 1] if _core.cpu_path_best in ORDER else ["generic"]
    results: dict = {}
    for threads in (1, 0):
        times: dict[str, list[float]] = {p: [] for p in paths}
        floors: dict[str, list[float]] = {p: [] for p in paths}
        digests = set()
        for _ in range(args.rounds):
            for path in paths:
                done = subprocess.run([sys.executable, "-c", CHILD, str(args.n), str(args.k), str(args.reps), str(threads)],
                                      env={**os.environ, "PHASE_ROUTER_CPU": path}, capture_output=True, text=True, check=True)
                r = json.loads(done.stdout)
                assert r["path"] == path, r["path"]
                times[path] += r["times_ms"]
                floors[path] += r["floor_ms"]
                digests.add(r["sha256"])
        results["threads_1" if threads == 1 else "threads_default"] = {
            "per_path": {p: {"median_ms": round(statistics.median(v), 3), "min_ms": round(min(v), 3), "runs": len(v),
                             "floor_median_ms": round(statistics.median(floors[p]), 3),
                             "floor_min_ms": round(min(floors[p]), 3),
                             "over_floor": round(statistics.median(v) / statistics.median(floors[p]), 1)}
                         for p, v in times.items()},
            "identical_routes": len(digests) == 1,
        }
    print(json.dumps({"benchmark": "kernel time per CPU path", "N": args.n, "k": args.k,
                      "cpu": platform.processor() or platform.machine(), "cpu_count": os.cpu_count(),
                      "best_path": _core.cpu_path_best, "version": pr.__version__, **results}, indent=2))


if __name__ == "__main__":
    main()

"""Baselines benchmark (make bench-baselines): prints one JSON document.

1. **Time ratios**, measured in one run: at N = 4096, k = 512 and N = 16384, k = 1024 (binomial
   density-0.5 degrees), the phase router, the uniform hash router and the weighted hash router
   run in interleaved rounds (the order rotates each round, so a busy neighbour on a shared
   machine hits all three alike), on one thread and on all threads, at two levels: the kernels
   (Router.route_rows / _core.hash_route) and the public API with statistics (route_degrees /
   hash_route). Reported: median ms per router and the ratios hash / phase (on one thread also
   the calling thread's CPU time, which a busy neighbour inflates less). Targets:
   uniform <= 1.5x, weighted <= 3x; measured, never asserted.
2. **Balance**, like for like (analysis/compare.py): every router with the phase router's route
   counts, means with 95 % intervals over seeds and verdicts that name their metric.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

import phase_router as pr
from phase_router import _core
from phase_router.analysis.compare import compare, verdict_lines
from phase_router.baselines import default_counts, hash_route
from phase_router.inputs import degrees
from phase_router.routing.router import Router

TIMING = [(4096, 512), (16384, 1024)]
BALANCE = [("density-0.5", 1024, 256), ("density-0.5", 1024, 64), ("uniform-1-k", 1024, 64),
           ("checkerboard", 1024, 64), ("bimodal", 1024, 64), ("adversarial", 1024, 64)]


def density_half(N: int):
    rng = np.random.default_rng(N)
    return rng.binomial(N, 0.5, N).astype(np.uint32), rng.binomial(N, 0.5, N).astype(np.uint32)


def timing(N: int, k: int, rounds: int) -> dict:
    s, t = density_half(N)
    uniform, weighted = default_counts(s, t, k, False), default_counts(s, t, k, True)
    out = {"N": N, "k": k, "rounds": rounds}
    for threads in (1, 0):
        runs = {
            "kernel": {"phase": lambda seed: Router(s, t, k, seed=seed).route_rows(threads=threads),
                       "hash": lambda seed: _core.hash_route(uniform, t, N, k, seed, False, threads),
                       "hash-weighted": lambda seed: _core.hash_route(weighted, t, N, k, seed, True, threads)},
            "api": {"phase": lambda seed: pr.route_degrees(s, t, k, seed=seed, threads=threads),
                    "hash": lambda seed: hash_route(s, t, k, seed=seed, threads=threads),
                    "hash-weighted": lambda seed: hash_route(s, t, k, seed=seed, weighted=True, threads=threads)},
        }
        for level, fns in runs.items():
            ms = {name: [] for name in fns}
            cpu = {name: [] for name in fns}
            names = list(fns)
            for r in range(rounds):
                for name in names[r % 3:] + names[:r % 3]:
                    start, start_cpu = time.perf_counter(), time.thread_time()
                    fns[name](r)
                    ms[name].append((time.perf_counter() - start) * 1e3)
                    cpu[name].append((time.thread_time() - start_cpu) * 1e3)
            med = {name: statistics.median(v) for name, v in ms.items()}
            key = f"{level}, {'one thread' if threads == 1 else 'all threads'}"
            out[key] = {"ms_median": med, "hash_over_phase": med["hash"] / med["phase"],
                        "hash_weighted_over_phase": med["hash-weighted"] / med["phase"]}
            if threads == 1:  # CPU time of the calling thread: what a busy neighbour does not inflate
                c = {name: statistics.median(v) for name, v in cpu.items()}
                out[key].update(cpu_ms_median=c, cpu_hash_over_phase=c["hash"] / c["phase"],
                                cpu_hash_weighted_over_phase=c["hash-weighted"] / c["phase"])
    return out


def inputs(kind: str, N: int, k: int):
    return density_half(N) if kind == "density-0.5" else degrees(kind, N, N, k=k, seed=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10, help="seeds per balance scenario")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved timing rounds")
    parser.add_argument("--no-balance", action="store_true", help="time ratios only")
    args = parser.parse_args()
    times = [timing(N, k, args.rounds) for N, k in TIMING]
    balance = []
    if not args.no_balance:
        for kind, N, k in BALANCE:
            report = compare(*inputs(kind, N, k), k, range(args.seeds))
            report.pop("per_seed")
            balance.append({"scenario": kind, "N": N, "k": k, **report, "verdict": verdict_lines(report)})
    print(json.dumps({"version": pr.__version__, "machine": platform.machine(), "cpus": os.cpu_count(),
                      "timing": times, "seeds": args.seeds, "balance": balance}, indent=2))


if __name__ == "__main__":
    main()

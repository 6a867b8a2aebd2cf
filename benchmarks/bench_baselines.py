"""Baselines benchmark: prints one JSON document (python benchmarks/bench_baselines.py [--help]).

For each scenario (generator kind at N x N) and k, every router of phase_router.routers runs the
same seeds: phase (random selection), phase-greedy, hash (uniform), hash-weighted and two-choice.
Reports per router: median and p99 max/mean of column loads, fill, dropped fraction at capacity
factors 1.0 and 1.25, and the median wall time of one routing on one thread. Measured, never
asserted; the verdict line names the winner whoever it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform

import numpy as np

import phase_router as pr
from phase_router.analysis.compare import compare_routers, verdict
from phase_router.inputs import degrees

DEFAULT = [("density-0.5", 1024, 256), ("density-0.5", 1024, 64), ("uniform-1-k", 1024, 64),
           ("checkerboard", 1024, 64), ("bimodal", 1024, 64), ("adversarial", 1024, 64), ("density-0.5", 4096, 512)]


def inputs(kind: str, N: int, k: int):
    if kind == "density-0.5":  # binomial degrees, the grid inputs
        rng = np.random.default_rng(N)
        return rng.binomial(N, 0.5, N), rng.binomial(N, 0.5, N)
    return degrees(kind, N, N, k=k, seed=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    rows = []
    for kind, N, k in DEFAULT:
        s, t = inputs(kind, N, k)
        results = compare_routers(s, t, k, range(args.seeds))
        rows.append({"scenario": kind, "N": N, "k": k, "routers": results, "verdict": verdict(results),
                     "greedy_cost_vs_random": results["phase-greedy"]["ms_median"] / max(results["phase"]["ms_median"], 1e-9)})
    print(json.dumps({"version": pr.__version__, "machine": platform.machine(), "cpus": os.cpu_count(),
                      "seeds": args.seeds, "results": rows}, indent=2))


if __name__ == "__main__":
    main()

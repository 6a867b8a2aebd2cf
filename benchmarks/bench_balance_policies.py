"""Balance of the selection policies against the exact optimum, on the same candidate graph.

For each scenario and seed: the phase router's candidate rows (a Router with k = E keeps every
candidate), r_i = min(k, c_i), and the smallest achievable maximum column load L*, found by
max-flow (scipy.sparse.csgraph.maximum_flow: source -> row i (cap r_i) -> candidate j (cap 1) ->
target j (cap L) -> sink, binary search on L between the lower bound ceil(sum r / targets with
t_j > 0) and balanced's own maximum, which is feasible). Where the graph is too large for that
(M * E beyond --flow-limit), L* is certified another way and the certificate is named:
"lower-bound" when some policy reaches the lower bound, which no selection can beat.

Then random, greedy and balanced on one prepared Router each: max load, max/mean, and selection
time (median of --reps interleaved repetitions, one policy after the other, so machine load
affects all alike). Prints one JSON document.

    python benchmarks/bench_balance_policies.py [--seeds 3] [--reps 5] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

from phase_router import _core
from phase_router.analysis.optimum import optimum_max_load
from phase_router.inputs import degrees

# name, generator, M, E, k, generator params ("full" = s_i = E, t_j = M)
SCENARIOS = [
    ("uniform N=1024 k=16", "uniform", 1024, 1024, 16, {"density": 0.5}),
    ("uniform N=1024 k=64", "uniform", 1024, 1024, 64, {"density": 0.5}),
    ("uniform N=1024 k=256", "uniform", 1024, 1024, 256, {"density": 0.5}),
    ("uniform N=4096 k=512", "uniform", 4096, 4096, 512, {"density": 0.5}),
    ("uniform sparse N=4096 k=8 density=0.01", "uniform", 4096, 4096, 8, {"density": 0.01}),
    ("uniform-1-k N=1024 k=64", "uniform-1-k", 1024, 1024, 64, {}),
    ("bimodal N=1024 k=64", "bimodal", 1024, 1024, 64, {}),
    ("bands N=1024 k=64", "bands", 1024, 1024, 64, {}),
    ("power-law N=1024 k=64", "power-law", 1024, 1024, 64, {}),
    ("adversarial N=1024 k=64", "adversarial", 1024, 1024, 64, {}),
    ("exact-k N=1024 k=64", "exact-k", 1024, 1024, 64, {}),
    ("rectangular uniform M=8192 E=512 k=32", "uniform", 8192, 512, 32, {"density": 0.5}),
    ("moe cf=1.0 M=4096 E=64 k=2", "moe", 4096, 64, 2, {"capacity_factor": 1.0}),
    ("moe cf=1.25 M=4096 E=64 k=2", "moe", 4096, 64, 2, {"capacity_factor": 1.25}),
    ("moe full M=4096 E=64 k=2", "full", 4096, 64, 2, {}),
    ("moe cf=1.0 M=2^20 E=1024 k=8", "moe", 1 << 20, 1024, 8, {"capacity_factor": 1.0}),
    ("moe cf=1.25 M=2^20 E=1024 k=8", "moe", 1 << 20, 1024, 8, {"capacity_factor": 1.25}),
    ("moe full M=2^20 E=1024 k=8", "full", 1 << 20, 1024, 8, {}),
]


def scenario_degrees(kind, M, E, k, seed, params):
    if kind == "full":
        return np.full(M, E, dtype=np.uint32), np.full(E, M, dtype=np.uint32)
    s, t = degrees(kind, M, E, k=k, seed=seed, **params)
    return np.asarray(s, dtype=np.uint32), np.asarray(t, dtype=np.uint32)


def loads_of(routes, E):
    return np.bincount(routes[routes >= 0], minlength=E)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--flow-limit", type=int, default=1 << 24, help="largest M*E solved by max-flow")
    ap.add_argument("--only", nargs="*", help="substrings of scenario names to run")
    ap.add_argument("--no-greedy", action="store_true", help="skip greedy (slow at M = 2^20)")
    args = ap.parse_args(argv)
    results = []
    for name, kind, M, E, k, params in SCENARIOS:
        if args.only and not any(o in name for o in args.only):
            continue
        per_seed = []
        for seed in range(args.seeds):
            s, t = scenario_degrees(kind, M, E, k, seed, params)
            router = _core.Router(s, t, k, seed)
            policies = {
                "random": lambda: router.route_rows(0, M, args.threads),
                "balanced": lambda: _core.select_balanced(router, 8, args.threads)[0],
            }
            if not args.no_greedy:
                policies["greedy"] = lambda: _core.select_greedy(router, max(1, M // 1024), args.threads)
            times = {p: [] for p in policies}
            routes = {}
            for _ in range(args.reps):
                for p, run in policies.items():
                    t0 = time.perf_counter()
                    routes[p] = run()
                    times[p].append(time.perf_counter() - t0)
            _, info = _core.select_balanced(router, 8, args.threads)
            total = int((routes["random"] >= 0).sum())
            active = int((t > 0).sum())
            lower = -(-total // active)
            loads = {p: loads_of(r, E) for p, r in routes.items()}
            mean = total / active
            best = int(loads["balanced"].max())
            if M * E <= args.flow_limit:
                cand = _core.Router(s, t, E, seed).route_rows(0, M, args.threads)
                optimum, how = optimum_max_load(cand, k, E, feasible_at=best), "max-flow"
            elif min(int(v.max()) for v in loads.values()) == lower:
                optimum, how = lower, "lower-bound"
            else:
                optimum, how = None, "unknown"
            row = {"seed": seed, "optimum": optimum, "optimum_by": how, "lower_bound": lower, "mean": mean,
                   "balanced_info": info}
            for p in policies:
                row[p] = {"max": int(loads[p].max()), "max_over_mean": float(loads[p].max() / mean),
                          "ms": 1e3 * statistics.median(times[p])}
            per_seed.append(row)
        summary = {"scenario": name, "M": M, "E": E, "k": k, "seeds": per_seed}
        opt = [r["optimum"] for r in per_seed]
        if all(o is not None for o in opt):
            summary["optimum_max_over_mean"] = float(np.mean([r["optimum"] / r["mean"] for r in per_seed]))
        for p in per_seed[0]:
            if isinstance(per_seed[0][p], dict) and "max" in per_seed[0][p]:
                summary[p] = {
                    "max_over_mean": float(np.mean([r[p]["max_over_mean"] for r in per_seed])),
                    "max": float(np.mean([r[p]["max"] for r in per_seed])),
                    "ms": float(np.mean([r[p]["ms"] for r in per_seed])),
                }
                if all(o is not None for o in opt):
                    summary[p]["worst_over_optimum"] = max(r[p]["max"] / r["optimum"] for r in per_seed)
        summary["balanced_over_random_time"] = summary["balanced"]["ms"] / summary["random"]["ms"]
        results.append(summary)
        print(json.dumps(summary), file=sys.stderr, flush=True)
    print(json.dumps({"threads": args.threads, "reps": args.reps, "results": results}, indent=1))


if __name__ == "__main__":
    main()

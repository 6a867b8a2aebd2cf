"""select="balanced" on Dask shards (make bench-shards): a LocalCluster of worker processes routes
2^24 sources as shards of 2^20 rows, and the result is set beside the proven global lower bound,
one machine's unsharded balanced and random on the same inputs. Prints one JSON document
(python benchmarks/bench_balanced_shards.py [--log2-sources 24] [--log2-shard-rows 20] [--workers 2]).

Per shape: wall time of the sharded run (preparing the driver's Router, every shard task,
the reconciliation, and every shard's routes brought back in row order, as `route --workers`
does), its report (lower bound, goal, maximum load, gap, repair rounds), the peak resident memory
of each worker process during the run (VmHWM, reset when the run starts), and, in this process, balanced and random on one machine (time, maximum
load). Shapes: an MoE batch (every token may go to every expert, s_i = E, t_j = M, k = 2) and
uniform degrees over 1024 targets (s_i in [1, 1024], t_j in [1, M], k = 8), whose optimum lies
above the mean bound, so the shards must agree on a structure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time

import numpy as np

import phase_router as pr
from phase_router.routing.shards import dask_chunks, dask_client


def _shapes(M: int):  # noqa: N803
    yield "moe E=64 k=2", np.full(M, 64), np.full(64, M), 2
    rng = np.random.default_rng(7)  # each row sum and each target's uniform over its whole range
    yield "uniform degrees E=1024 k=8", rng.integers(1, 1025, M), rng.integers(1, M + 1, 1024), 8


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Starts this process's peak RSS (VmHWM) afresh: what a worker inherited at its start
    (a forked process begins with its parent's pages) must not count as the run's."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _peak_mib() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _max_load(routes: np.ndarray, E: int) -> int:  # noqa: N803
    return int(np.bincount(routes[routes >= 0], minlength=E).max(initial=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log2-sources", type=int, default=24)
    parser.add_argument("--log2-shard-rows", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    M, rows = 2**args.log2_sources, 2**args.log2_shard_rows  # noqa: N806
    results = []
    for name, s, t, k in _shapes(M):
        E = len(t)  # noqa: N806
        with dask_client(workers=args.workers) as client:
            client.run(_reset_peak)
            started = time.perf_counter()
            router = pr.Router(s, t, k, seed=args.seed, select="balanced")
            loads = np.zeros(E, dtype=np.int64)
            for _, routes in dask_chunks(router, rows, client):
                loads += np.bincount(routes[routes >= 0], minlength=E)
                del routes
            sharded_s = time.perf_counter() - started
            worker_rss = sorted(round(v, 1) for v in client.run(_peak_mib).values())
        report = router.selection_report
        assert int(loads.max()) == report["max_load"]
        started = time.perf_counter()
        whole = pr.Router(s, t, k, seed=args.seed, select="balanced")
        whole_routes = whole.route_rows()
        whole_s = time.perf_counter() - started
        whole_max = _max_load(whole_routes, E)
        del whole_routes
        started = time.perf_counter()
        random_routes = pr.Router(s, t, k, seed=args.seed).route_rows()
        random_s = time.perf_counter() - started
        random_max = _max_load(random_routes, E)
        del random_routes
        results.append({
            "shape": name, "sources": M, "targets": E, "k": k, "shard_rows": rows, "shards": report["shards"],
            "workers": args.workers,
            "sharded_balanced": {"seconds": round(sharded_s, 2), **{key: report[key] for key in (
                "lower_bound", "goal", "max_load", "gap_to_lower_bound", "within_goal", "proven_optimal",
                "repair_rounds", "shards_rerun")}, "worker_peak_rss_mib": worker_rss,
                "shard_routes_mib": round(rows * k * 4 / 2**20, 1)},
            "one_machine_balanced": {"seconds": round(whole_s, 2), "max_load": whole_max,
                                     "gap_to_lower_bound": whole_max / report["lower_bound"] - 1,
                                     "proven_optimal": bool(whole.selection_report.get("proven_optimal"))},
            "one_machine_random": {"seconds": round(random_s, 2), "max_load": random_max,
                                   "gap_to_lower_bound": random_max / report["lower_bound"] - 1},
        })
    print(json.dumps({"machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                                  "cpu_path": pr.cpu_path},
                      "driver_peak_rss_mib": round(_peak_rss_mib(), 1), "results": results}, indent=2))


if __name__ == "__main__":
    main()

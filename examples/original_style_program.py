"""A program written for the original system's `router` and `router_stats` modules, running on
this project after one changed import line (the first import below; it was
``import router, router_stats``).

    python examples/original_style_program.py [--n 1024] [--k 64] [--runs 10]

It does what the original's users did: routes 0/1 matrices with pack_and_route into a
preallocated int32 array, reads the stats dict, checks that a fixed seed reproduces a routing,
and averages column loads over unseeded calls, which must give a new routing each call (the
original's seed 0). Nothing below that import line names this project, and nothing depends on
what only this project reports, so the same code runs on the original too.
"""

from phase_router.compat import router, router_stats  # the one changed line

import argparse
import time

import numpy as np


def uniform_k_matrix(n, k, seed):
    """n x n 0/1 matrix with exactly k ones per row, at random columns."""
    rng = np.random.default_rng(seed)
    matrix = np.zeros((n, n), dtype=np.uint8)
    for row in range(n):
        matrix[row, rng.choice(n, k, replace=False)] = 1
    return matrix


def column_loads(routes, n):
    kept = routes[routes >= 0]
    return np.bincount(kept, minlength=n).astype(float)


def as_sets(routes):
    """A routing compared as sets of targets per row (the original listed each row's targets in
    a shuffled order, so equal routings need not be equal arrays there)."""
    return [frozenset(row[row >= 0].tolist()) for row in routes]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1024)
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    n, k = args.n, args.k

    # 1. One routing into a preallocated array, and its statistics.
    S = uniform_k_matrix(n, k, seed=1)
    T = uniform_k_matrix(n, k, seed=2)
    routes = np.empty((n, k), dtype=np.int32)
    stats = router.pack_and_route(S, T, k, routes, dump=False, validate=False, seed=42)
    print("stats:", {key: stats[key] for key in ("N", "k", "active_routes", "routes_per_row")})
    print(f"times: packing {stats['packing_time_ms']:.2f} ms, routing {stats['routing_time_ms']:.2f} ms, "
          f"total {stats['total_time_ms']:.2f} ms")
    assert stats["N"] == n and stats["k"] == k
    assert stats["active_routes"] == int(np.sum(routes >= 0)), "stats must count the routes written in place"
    assert abs(stats["routes_per_row"] - stats["active_routes"] / n) < 1e-12
    assert routes.min() >= -1 and routes.max() < n
    single_loads = column_loads(routes, n)
    single_skew = single_loads.max() / single_loads.mean()
    print(f"one routing: max/mean column load {single_skew:.3f}")

    # 2. A fixed seed reproduces the routing.
    again = np.empty((n, k), dtype=np.int32)
    router.pack_and_route(S, T, k, again, dump=False, validate=False, seed=42)
    assert as_sets(again) == as_sets(routes), "seed 42 twice must give the same routing"
    print("seed 42 twice: same routing")

    # 3. Monte-Carlo mean load over unseeded calls: each call is a new routing.
    totals = np.zeros(n)
    seen = []
    started = time.perf_counter()
    for run in range(args.runs):
        S = uniform_k_matrix(n, k, seed=run)
        T = uniform_k_matrix(n, k, seed=run + 100)
        routes = np.empty((n, k), dtype=np.int32)
        router.pack_and_route(S, T, k, routes, dump=False, validate=False)
        totals += column_loads(routes, n)
        seen.append(as_sets(routes))
    mean_loads = totals / args.runs
    skew = mean_loads.max() / mean_loads.mean()
    distinct = len({tuple(routing) for routing in seen})
    print(f"{args.runs} unseeded calls in {time.perf_counter() - started:.2f} s: {distinct} distinct routings, "
          f"mean load {mean_loads.mean():.2f}, max/mean {skew:.3f}")
    assert distinct == args.runs, "every unseeded call must give a new routing"
    assert skew < single_skew, "averaging independent routings must flatten the loads"

    # 4. The statistics module: seed-averaged loads of the last inputs.
    summary = router_stats.monte_carlo_stats(S, T, k, num_samples=8)
    print(f"router_stats.monte_carlo_stats: global skew {summary['global_skew']:.3f} over "
          f"{summary['num_samples']} seeds")
    assert summary["raw_samples"].shape == (8, n)
    print("original-style program: ok")


if __name__ == "__main__":
    main()

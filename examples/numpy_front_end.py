"""Random 0/1 matrices built with NumPy, routed, and the column loads checked against the theory.

    python examples/numpy_front_end.py [--n 2048] [--k 64] [--seeds 10]

S (sources x targets) and T (targets x sources) can be any 0/1 (or bool) NumPy arrays; only their
row sums reach the router (docs/SPEC.md). The seed-averaged column loads follow the theory's
expected loads (phase_router.routing.theory.expected_loads: T's row sums, the cap k and the
wrap count), which this example prints next to the measurement.
"""

from __future__ import annotations

import argparse

import numpy as np

import phase_router as pr
from phase_router.routing.theory import expected_loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048)
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    n, k = args.n, args.k

    rng = np.random.default_rng(42)  # any NumPy generator: the inputs are the caller's
    S = rng.random((n, n)) < rng.uniform(0.05, 0.6, size=(n, 1))  # rows of varied density
    T = rng.random((n, n)) < 0.3

    routing = pr.route(S, T, k, seed=0)
    routes = routing.routes  # n x k int32: targets ascending, then -1
    print(f"routes: {routes.shape} {routes.dtype}; first row {routes[0][:8]} ...")
    print(f"fill {routing.stats.fill_ratio:.4f}, max/mean load {routing.column_loads.max() / routing.column_loads.mean():.3f}")

    # every route respects the cap, and routes are distinct per row
    kept = routes >= 0
    assert np.all(kept.sum(axis=1) <= k)
    assert all(np.unique(r[r >= 0]).size == np.count_nonzero(r >= 0) for r in routes)

    # seed-averaged loads against the theory (only degrees matter, so route_degrees is the same)
    s, t = S.sum(axis=1), T.sum(axis=1)
    mean_loads = np.mean([pr.route_degrees(s, t, k, seed=x).column_loads for x in range(args.seeds)], axis=0)
    theory = expected_loads(s, t, k)
    error = np.abs(mean_loads - theory).sum() / theory.sum()
    print(f"{args.seeds}-seed mean loads vs theory: total-variation error {error:.3%}")
    print(f"load follows t_j: correlation(mean load, t) = {np.corrcoef(mean_loads, t)[0, 1]:.3f}")
    assert error < 0.05, error


if __name__ == "__main__":
    main()

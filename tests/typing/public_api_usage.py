"""A typed consumer of the public API: mypy --strict checks this file together with the public
modules (tests/routing/test_typing.py). Not collected by pytest (no test_ prefix)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

import phase_router as pr
from phase_router import moe


def balanced_routes(M: int, E: int, k: int, seed: int) -> NDArray[np.int32]:
    routing: pr.Routing = pr.route_degrees(np.full(M, E), np.full(E, M), k, seed=seed)
    stats: pr.RoutingStats = routing.stats
    loads: NDArray[np.int64] = routing.column_loads
    assert loads.shape == (stats.E,)
    return routing.routes


def routed_twice(S: NDArray[np.bool_], T: NDArray[np.bool_]) -> bool:
    router = pr.Router(S.sum(axis=1), T.sum(axis=1), 4, seed=1)
    first: NDArray[np.int32] = router.route_rows(0, router.M)
    return bool(np.array_equal(first, pr.route(S, T, 4, seed=1).routes))


def dispatch_sizes(routes: NDArray[np.int32], E: int) -> list[int]:
    d: moe.Dispatch = moe.dispatch(routes, E, capacity=8)
    out: NDArray[np.float64] = moe.combine(d, np.ones((int(d.indptr[-1]), 2)))
    assert out.shape[0] == routes.shape[0]
    return [int(c) for c in d.counts]


def kept_share(scores: NDArray[np.float64], k: int) -> float:
    routed: moe.ScoreRouting = moe.route_scores(scores, k, top_c=k + 1, capacity=16, seed=2)
    best: moe.ScoreRouting = moe.preference_optimum(scores, k, top_c=k + 1, capacity=16)
    gates: NDArray[np.float64] = routed.gates
    assert gates.shape == routed.routes.shape
    return routed.kept_mass / best.kept_mass if best.kept_mass > 0 else 1.0


def describe() -> str:
    try:
        pr.route_degrees([5], [1], 1)
    except pr.InvalidInputError as exc:
        return f"{pr.__version__} on {pr.cpu_path}: {exc}"
    return pr.cpu_path

"""Pure-Python reference of select="optimal" (core_cpp/selection/policy_optimal.cpp): the
optimum found by exhaustive search over caps (max-flow feasibility), then the routes of Dinic's
flow (reference/max_flow.py) run from scratch at exactly the optimal caps. Byte for byte the C++
result; tests/selection/test_optimal.py checks it, and checks the optimum against SciPy's max-flow."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .max_flow import MaxFlow
from .preference import keep_most_weight
from .spec import matrices_from_degrees, pipeline


def _graph(candidates: np.ndarray, k: int) -> tuple[MaxFlow, list[list[int]], int, int]:
    M, E = candidates.shape
    rows = [np.flatnonzero(candidates[i]).tolist() for i in range(M)]
    flow = MaxFlow(M + E + 2)
    for i in range(M):
        flow.add_edge(0, 1 + i, min(k, len(rows[i])))
    for i in range(M):
        for j in rows[i]:
            flow.add_edge(1 + i, 1 + M + j, 1)
    sink_edges = len(flow.pending)
    for j in range(E):
        flow.add_edge(1 + M + j, M + E + 1, 0)
    flow.finish()
    return flow, rows, sink_edges, sum(min(k, len(r)) for r in rows)


def _feasible(flow: MaxFlow, sink_edges: int, caps: list[int], required: int, M: int, E: int) -> bool:
    for j, cap in enumerate(caps):
        flow.set_capacity(sink_edges + j, max(cap, 0))
    flow.reset()
    return flow.run(0, M + E + 1) == required


def optimum(candidates: np.ndarray, t, k: int, relative: bool = False) -> Fraction:
    """The smallest max load (or max load / t_j) over selections keeping min(k, c_i) per row:
    binary search over every possible value (feasibility only grows with the caps)."""
    M, E = candidates.shape
    flow, rows, sink_edges, required = _graph(candidates, k)
    t = [int(x) for x in t]
    if relative:
        # every ratio a load can have: up to t_j, or up to j's in-degree where more rows list j
        top = max([tj for tj in t] + [int(x) for x in candidates.sum(axis=0)])
        values = sorted({Fraction(0)} | {Fraction(L, tj) for tj in set(t) if tj > 0 for L in range(top + 1)})
        caps_of = lambda lam: [int(lam * tj) for tj in t]  # noqa: E731  floor(lambda t_j), exact
    else:
        values = [Fraction(L) for L in range(M + 1)]
        caps_of = lambda lam: [int(lam)] * E  # noqa: E731
    lo, hi = 0, len(values) - 1  # the last value (caps of every in-degree, or M) is always feasible
    while lo < hi:
        mid = (lo + hi) // 2
        if _feasible(flow, sink_edges, caps_of(values[mid]), required, M, E):
            hi = mid
        else:
            lo = mid + 1
    return values[hi]


def select_optimal(candidates: np.ndarray, t, k: int, relative: bool = False, preference: bool = False,
                   weights: np.ndarray | None = None) -> tuple[np.ndarray, Fraction]:
    """(routes, optimum). preference: at the optimal caps of the objective max, the routes that keep
    the most weight (weights: M x E integers, read where candidates holds; None weighs each 1)."""
    M, E = candidates.shape
    best = optimum(candidates, t, k, relative)
    if preference:
        rows = [np.flatnonzero(candidates[i]).tolist() for i in range(M)]
        weight_rows = [[1 if weights is None else int(weights[i, j]) for j in row] for i, row in enumerate(rows)]
        return keep_most_weight(rows, weight_rows, E, k, [int(best)] * E)[0], best
    flow, rows, sink_edges, required = _graph(candidates, k)
    caps = [int(best * int(tj)) for tj in t] if relative else [int(best)] * E
    assert _feasible(flow, sink_edges, caps, required, M, E)
    routes = np.full((M, k), -1, dtype=np.int32)
    number = M
    for i in range(M):
        kept = []
        for j in rows[i]:
            if flow.flow(number) == 1:
                kept.append(j)
            number += 1
        routes[i, : len(kept)] = kept
    return routes, best


def route_degrees_optimal(s, t, k: int, seed: int = 0, row_perm: bool = False, relative: bool = False):
    S, T = matrices_from_degrees(s, t)
    stages = pipeline(S, T, k, seed, row_perm)
    return select_optimal(stages.candidates, np.asarray(t), k, relative)

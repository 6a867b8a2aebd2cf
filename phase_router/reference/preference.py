"""Pure-Python reference of the objective "preference" of select="optimal"
(core_cpp/selection/preference_flow.cpp): at given target caps, the selection of min(k, c_i)
candidates per row that keeps the most candidate weight, by successive shortest paths over the
exchange graph from each row's heaviest candidates. Every choice is the C++ one (docs/SPEC.md,
"Optimal selection"), so the routes match byte for byte; tests/selection/test_optimal_preference.py
checks that, and the optimum against SciPy's linear program and against brute force."""

from __future__ import annotations

import heapq

import numpy as np

UNREACHED = float("inf")


def _cheapest_exchanges(rows, weights, kept, E: int) -> dict:  # noqa: N803
    """{(j, v): (delta, row, x, y)}: the least (delta, row) of the rows that can drop their kept
    candidate j (position x) for their unkept candidate v (position y)."""
    best: dict = {}
    for i, row in enumerate(rows):
        for x, j in enumerate(row):
            if not kept[i][x]:
                continue
            for y, v in enumerate(row):
                if kept[i][y]:
                    continue
                entry = (weights[i][x] - weights[i][y], i, x, y)
                if (j, v) not in best or entry[:2] < best[(j, v)][:2]:
                    best[(j, v)] = entry
    return best


def keep_most_weight(rows: list[list[int]], weights: list[list[int]], E: int, k: int,
                     caps: list[int]) -> tuple[np.ndarray, int, int]:  # noqa: N803
    """(routes M x k int32, kept weight, chains moved). rows[i]: row i's candidates ascending;
    weights[i]: their weights; caps: feasible target caps."""
    M = len(rows)  # noqa: N806
    kept = [[False] * len(row) for row in rows]
    load = [0] * E
    for i, row in enumerate(rows):
        order = sorted(range(len(row)), key=lambda x: (-weights[i][x], x))
        for x in order[: min(k, len(row))]:
            kept[i][x] = True
            load[row[x]] += 1
    sink = E
    potential = [0] * (E + 1)
    chains = 0
    while True:
        sources = [j for j in range(E) if load[j] > caps[j]]
        if not sources:
            break
        arcs = _cheapest_exchanges(rows, weights, kept, E)
        distance = [UNREACHED] * (E + 1)
        via: list = [None] * E
        settled = [False] * (E + 1)
        settled_order = []
        heap = [(0, j) for j in sources]
        for j in sources:
            distance[j] = 0
        heapq.heapify(heap)
        into_sink = 0
        while True:
            assert heap, "feasible caps always leave a chain"
            d, u = heapq.heappop(heap)
            if settled[u]:
                continue
            settled[u] = True
            settled_order.append(u)
            if u == sink:
                break
            for v in range(E):
                if settled[v] or (u, v) not in arcs:
                    continue
                delta = arcs[(u, v)][0]
                nd = d + delta + potential[u] - potential[v]
                if nd < distance[v]:
                    distance[v], via[v] = nd, arcs[(u, v)]
                    heapq.heappush(heap, (nd, v))
            if load[u] < caps[u]:
                nd = d + potential[u] - potential[sink]
                if nd < distance[sink]:
                    distance[sink], into_sink = nd, u
                    heapq.heappush(heap, (nd, sink))
        chain = distance[sink]
        for v in settled_order:
            potential[v] += distance[v] - chain
        target = into_sink
        load[target] += 1
        while via[target] is not None:
            _, i, x, y = via[target]
            kept[i][x], kept[i][y] = False, True
            target = rows[i][x]
        load[target] -= 1
        chains += 1

    routes = np.full((M, k), -1, dtype=np.int32)
    total = 0
    for i, row in enumerate(rows):
        chosen = [j for x, j in enumerate(row) if kept[i][x]]
        routes[i, : len(chosen)] = chosen
        total += sum(w for x, w in enumerate(weights[i]) if kept[i][x])
    return routes, total, chains

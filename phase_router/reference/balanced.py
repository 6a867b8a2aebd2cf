"""Pure-NumPy reference of the balanced selection policy (docs/SPEC.md, "Balanced selection"), on
the candidate sets of the spec's own pipeline (reference.pipeline). Written as the definition,
slow on purpose; core_cpp/selection/policy_balanced.cpp must match it byte for byte
(tests/selection/test_balanced.py)."""

from __future__ import annotations

import numpy as np

from .._internal import random as rnd
from . import spec as reference
from .baselines import WideDraws, weighted_pick

DOMAIN_BALANCED_EVICT = 10
DOMAIN_BALANCED_PICK = 11
DEFAULT_ROUNDS = 8


def goal_of(lower: int) -> int:
    """G = lower + floor(lower / 50): at most 2 % above the lower bound, hence above the optimum."""
    return lower + lower // 50


def select_balanced(candidates: np.ndarray, t: np.ndarray, k: int, seed: int, rounds: int = DEFAULT_ROUNDS,
                    report: dict | None = None) -> np.ndarray:
    """Phase A (the spec's random selection), phase B (repair rounds), phase C (alternating
    paths); see docs/SPEC.md. `report`, if given, receives lower_bound, goal and proven_optimal."""
    M, E = candidates.shape
    routes = reference.select_routes(candidates, k, seed)
    load = np.bincount(routes[routes >= 0], minlength=E).astype(np.int64)
    total = int(load.sum())
    if report is not None:
        report.update(lower_bound=0, goal=0, proven_optimal=False)
    if total == 0:
        return routes
    active = int(np.count_nonzero(np.asarray(t) > 0))
    lower = -(-total // active)
    goal = goal_of(lower)
    if report is not None:
        report.update(lower_bound=lower, goal=goal)
    rows = [np.flatnonzero(candidates[i]).tolist() for i in range(M)]

    # Phase B
    evict_key = rnd.domain_key(seed, DOMAIN_BALANCED_EVICT)
    pick_domain = rnd.domain_key(seed, DOMAIN_BALANCED_PICK)
    for round_ in range(rounds):
        if load.max() <= goal:
            break
        round_key, pick_key = rnd.splitmix(evict_key, round_), rnd.splitmix(pick_domain, round_)
        delta = np.zeros(E, dtype=np.int64)
        moved = 0
        for i in range(M):
            u = rnd.splitmix(round_key, i) >> 32
            row = routes[i][routes[i] >= 0].tolist()
            evicted = [j for j in row if load[j] > goal and u * int(load[j]) < (int(load[j]) - goal) << 32]
            if not evicted:
                continue
            chosen = set(row)
            eligible = [j for j in rows[i] if j not in chosen and load[j] < goal]
            p = min(len(evicted), len(eligible))
            if p == 0:
                continue
            dropped = sorted(evicted, key=lambda j: (-int(load[j]), j))[:p]
            weights = [goal - int(load[j]) for j in eligible]
            draws = WideDraws(rnd.splitmix(pick_key, i))
            picks = []
            for _ in range(p):
                x = weighted_pick(weights, draws.bounded(sum(weights)))
                picks.append(eligible[x])
                weights[x] = 0
            routes[i, : len(row)] = sorted((chosen - set(dropped)) | set(picks))
            np.subtract.at(delta, dropped, 1)
            np.add.at(delta, picks, 1)
            moved += p
        load += delta
        if moved == 0:
            break

    # Phase C
    holders: list[list[int]] = [[] for _ in range(E)]
    for i in range(M):
        for j in routes[i][routes[i] >= 0].tolist():
            holders[j].append(i)
    while load.max() > goal:
        top = int(load.max())
        for start in np.flatnonzero(load == top).tolist():
            seen_targets, seen_sources, via = {start}, set(), {}
            queue, head, found = [start], 0, None
            while head < len(queue) and found is None:
                j = queue[head]
                head += 1
                for i in holders[j]:
                    if i in seen_sources:
                        continue
                    seen_sources.add(i)
                    chosen = set(routes[i][routes[i] >= 0].tolist())
                    for nxt in rows[i]:
                        if nxt in chosen or nxt in seen_targets:
                            continue
                        seen_targets.add(nxt)
                        via[nxt] = (i, j)
                        if load[nxt] <= top - 2:
                            found = nxt
                            break
                        queue.append(nxt)
                    if found is not None:
                        break
            if found is None:  # no path from a maximum target: the maximum is optimal
                if report is not None:
                    report["proven_optimal"] = True
                return routes
            load[found] += 1
            load[start] -= 1
            to = found
            while True:
                i, frm = via[to]
                kept = routes[i][routes[i] >= 0].tolist()
                kept[kept.index(frm)] = to
                routes[i, : len(kept)] = sorted(kept)
                holders[frm].remove(i)
                holders[to].append(i)
                holders[to].sort()
                if frm == start:
                    break
                to = frm
    return routes


def route_degrees_balanced(s, t, k: int, seed: int = 0, row_perm: bool = False, rounds: int = DEFAULT_ROUNDS,
                           report: dict | None = None) -> np.ndarray:
    S, T = reference.matrices_from_degrees(s, t)
    stages = reference.pipeline(S, T, k, seed, row_perm)
    return select_balanced(stages.candidates, np.asarray(t, dtype=np.int64), k, seed, rounds, report)

"""Pure-NumPy reference of the balanced selection policy (docs/SPEC.md, "Balanced selection"), on
the candidate sets of the spec's own pipeline (reference.pipeline). Written as the definition,
slow on purpose; core_cpp/selection/policy_balanced.cpp must match it byte for byte
(tests/selection/test_balanced.py)."""

from __future__ import annotations

import numpy as np

from .. import _core
from .._internal import random as rnd
from .._internal.seed_domains import DOMAIN_BALANCED_EVICT, DOMAIN_BALANCED_PICK
from . import spec as reference
from .baselines import WideDraws, weighted_pick

DEFAULT_ROUNDS: int = _core.selection_defaults()["balanced"]["rounds"]  # the C++ BalancedOptions default


def goal_of(lower: int) -> int:
    """G = lower + max(1, floor(lower / 50)): at most 2 % (or one route) above the lower bound,
    hence above the optimum."""
    return lower + max(1, lower // 50)


def select_balanced(candidates: np.ndarray, t: np.ndarray, k: int, seed: int, rounds: int = DEFAULT_ROUNDS,
                    report: dict | None = None, *, first_row: int = 0, goal: int = 0,
                    base_load: np.ndarray | None = None) -> np.ndarray:
    """Phase A (the spec's random selection), phase B (repair rounds), phase C (level sweeps);
    see docs/SPEC.md. `report`, if given, receives lower_bound, goal, proven_optimal and
    fixed_loads. A shard of a larger routing ("Balanced selection on shards") gives first_row
    (the routing's id of its first row, which keys every draw), goal (G when above 0) and
    base_load (loads of the other shards, counted against G and never moved)."""
    M, E = candidates.shape
    routes = reference.select_routes(candidates, k, seed, first_row)
    load = np.bincount(routes[routes >= 0], minlength=E).astype(np.int64)
    rows = [np.flatnonzero(candidates[i]).tolist() for i in range(M)]
    spare = [max(0, len(rows[i]) - k) for i in range(M)]
    fixed = np.zeros(E, dtype=np.int64)
    for i in range(M):
        if spare[i] == 0:
            np.add.at(fixed, routes[i][routes[i] >= 0], 1)
    if report is not None:
        report.update(lower_bound=0, goal=0, proven_optimal=False, fixed_loads=fixed.copy())
    if base_load is not None:
        load += np.asarray(base_load, dtype=np.int64)
        fixed += np.asarray(base_load, dtype=np.int64)
    total = int(load.sum())
    active = int(np.count_nonzero(np.asarray(t) > 0))
    if total <= 0 or active == 0:
        return routes
    lower = max(-(-total // active), 0)
    wanted = goal if goal > 0 else goal_of(lower)
    goal = max(wanted, int(fixed.max()))
    if report is not None:  # a goal raised to the largest fixed load is a lower bound
        report.update(lower_bound=lower, goal=goal, proven_optimal=goal > wanted)
    _repair_rounds(routes, load, rows, goal, seed, rounds, first_row)
    if load.max() > goal:
        _LevelSweeps(routes, load, rows, spare, report).run(goal)
    return routes


def _repair_rounds(routes: np.ndarray, load: np.ndarray, rows: list[list[int]], goal: int, seed: int,
                   rounds: int, first_row: int = 0) -> None:
    """Phase B, in place."""
    M, E = routes.shape[0], load.size
    evict_key = rnd.domain_key(seed, DOMAIN_BALANCED_EVICT)
    pick_domain = rnd.domain_key(seed, DOMAIN_BALANCED_PICK)
    for round_ in range(rounds):
        if load.max() <= goal:
            break
        round_key, pick_key = rnd.splitmix(evict_key, round_), rnd.splitmix(pick_domain, round_)
        delta = np.zeros(E, dtype=np.int64)
        moved = 0
        for i in range(M):
            u = rnd.splitmix(round_key, first_row + i) >> 32
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
            draws = WideDraws(rnd.splitmix(pick_key, first_row + i))
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


class _LevelSweeps:
    """Phase C, in place: direct moves at the cap G, then sweeps of depth-first searches for
    augmenting paths, raising the cap by the bound a sweep without paths proves."""

    def __init__(self, routes: np.ndarray, load: np.ndarray, rows: list[list[int]], spare: list[int],
                 report: dict | None) -> None:
        self.routes, self.load, self.rows, self.report = routes, load, rows, report
        self.flexible = [i for i in range(len(rows)) if spare[i] > 0]

    def routed(self, i: int) -> list[int]:
        return self.routes[i][self.routes[i] >= 0].tolist()

    def spare_of(self, i: int) -> list[int]:
        chosen = set(self.routed(i))
        return [j for j in self.rows[i] if j not in chosen]

    def move(self, i: int, frm: int, to: int) -> None:
        kept = self.routed(i)
        kept[kept.index(frm)] = to
        self.routes[i, : len(kept)] = sorted(kept)

    def run(self, lam: int) -> None:
        self.direct_moves(lam)
        while self.load.max() > lam:
            if self.sweep(lam) == 0:
                reached = sorted(self.seen)
                lam = max(lam + 1, -(-int(self.load[reached].sum()) // len(reached)) if reached else 0)
                if self.report is not None:
                    self.report["proven_optimal"] = True

    def direct_moves(self, lam: int) -> None:
        load = self.load
        for i in self.flexible:
            if not (load > lam).any():
                return
            for j in [j for j in self.routed(i) if load[j] > lam]:
                if load[j] <= lam:
                    continue
                room = [x for x in self.spare_of(i) if load[x] < lam]
                if not room:
                    break
                self.move(i, j, room[0])
                load[j] -= 1
                load[room[0]] += 1

    def sweep(self, lam: int) -> int:
        self.entered: set[int] = set()
        self.blocked: set[int] = set()
        self.arc: dict[int, int] = {}
        self.start_routes = [set(self.routed(i)) for i in range(len(self.rows))]
        self.layer(lam)
        if self.room_layer is None:
            return 0
        found = 0
        for j in range(self.load.size):
            if self.load[j] <= lam:
                continue
            self.enter_target(j)
            while self.load[j] > lam and self.search(j, lam):
                found += 1
        if found == 0:  # the layering's own chain to its first target with room
            to = self.first_room
            while self.dist[to] > 0:
                i, frm = self.via[to]
                self.move(i, frm, to)
                to = frm
            self.load[to] -= 1
            self.load[self.first_room] += 1
            found = 1
        return found

    def layer(self, lam: int) -> None:
        """dist: each target's distance (in targets) from the targets above lam, along target ->
        flexible row routed to it -> that row's spare candidate; room_layer: the smallest
        distance of a target below lam (None: none is reachable). Labels past it are not needed."""
        self.dist = {j: 0 for j in range(self.load.size) if self.load[j] > lam}
        self.via: dict[int, tuple[int, int]] = {}
        frontier, d, self.room_layer, reached = sorted(self.dist), 0, None, set()
        while frontier and self.room_layer is None:
            nxt = []
            for j in frontier:
                for i in self.flexible:
                    if i in reached or j not in self.routed(i):
                        continue
                    reached.add(i)
                    for x in self.spare_of(i):
                        if x not in self.dist:
                            self.dist[x], self.via[x] = d + 1, (i, j)
                            nxt.append(x)
                            if self.load[x] < lam and self.room_layer is None:
                                self.room_layer, self.first_room = d + 1, x
            frontier, d = nxt, d + 1
        self.seen = set(self.dist)

    def next_layer(self, frm: int, to: int) -> bool:
        return to in self.dist and self.dist[to] == self.dist[frm] + 1

    def enter_target(self, j: int) -> None:
        self.blocked.add(j)
        self.arc.setdefault(j, 0)

    def next_holder(self, j: int) -> int | None:
        """From j's position in the list of flexible rows routed to j when the sweep started: the
        first row not entered from j's layer (on the stack or explored without success) that still
        routes to j."""
        holders = [i for i in self.flexible if j in self.start_routes[i]]
        level = self.dist[j]  # rows are entered per layer
        while self.arc[j] < len(holders) and ((holders[self.arc[j]], level) in self.entered
                                              or j not in self.routed(holders[self.arc[j]])):
            self.arc[j] += 1
        return holders[self.arc[j]] if self.arc[j] < len(holders) else None

    def search(self, root: int, lam: int) -> bool:
        load = self.load
        stack: list[list] = [[root, None, [], 0]]  # target, row being explored, its spare list, position
        while stack:
            frame = stack[-1]
            if frame[1] is None:
                i = self.next_holder(frame[0])
                if i is None:
                    stack.pop()
                    continue
                self.entered.add((i, self.dist[frame[0]]))
                frame[1], frame[2], frame[3] = i, self.spare_of(i), 0
                room = [x for x in frame[2] if load[x] < lam and self.next_layer(frame[0], x)]
                if room:
                    self.augment(stack, room[0])
                    return True
            spare = frame[2]
            while frame[3] < len(spare) and (spare[frame[3]] in self.blocked
                                             or not self.next_layer(frame[0], spare[frame[3]])
                                             or self.dist[spare[frame[3]]] >= self.room_layer):
                frame[3] += 1
            if frame[3] == len(spare):
                frame[1] = None
                continue
            nxt = spare[frame[3]]
            frame[3] += 1
            self.enter_target(nxt)
            stack.append([nxt, None, [], 0])
        return False

    def augment(self, stack: list[list], end: int) -> None:
        for d, frame in enumerate(stack):
            to = stack[d + 1][0] if d + 1 < len(stack) else end
            self.move(frame[1], frame[0], to)
            self.entered.discard((frame[1], self.dist[frame[0]]))
            if d > 0:
                self.blocked.discard(frame[0])
        self.load[stack[0][0]] -= 1
        self.load[end] += 1


def route_degrees_balanced(s, t, k: int, seed: int = 0, row_perm: bool = False, rounds: int = DEFAULT_ROUNDS,
                           report: dict | None = None) -> np.ndarray:
    S, T = reference.matrices_from_degrees(s, t)
    stages = reference.pipeline(S, T, k, seed, row_perm)
    return select_balanced(stages.candidates, np.asarray(t, dtype=np.int64), k, seed, rounds, report)

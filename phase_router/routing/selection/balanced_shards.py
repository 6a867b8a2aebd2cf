"""select="balanced" on shards (docs/SPEC.md, "Balanced selection on shards"): each shard of the
plan balances its own rows first, against its share of the capacity (its own lower bound plus
2 %, or one route); then at most MAX_REPAIRS repair rounds reconcile the shards.

The whole routing's lower bound B is the largest of ceil(routes / active targets), the largest
fixed load and, when E <= GRAPH_TARGETS, the closed-set bound of the union of the shards'
exchange graphs (closed_set_bound). The goal is G = B + max(1, floor(B / 50)): within 2 % (or
one route) of the proven bound, where one machine's balanced reaches the optimum itself when its goal is out of reach. A
repair round gives each shard that routes to a target above G a
cap per target: its present load, less its share of the target's excess (in proportion to its
load there), plus an equal share of the room of the targets below G. The caps of every target sum
to exactly G, and each such shard balances its rows again against them (the other shards' part
of G as a base load it cannot move). Repairs stop at G, after a round that lowered no excess, or
after MAX_REPAIRS; the report gives the gap to B either way.

Only summaries (loads and graphs per target) reach the reconciliation; a shard's routes are
those of its last task. Every decision is a function of the plan and the summaries, so the
routes are the same for any number of workers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ... import _core
from ..._internal.threads import threads_for
from .policy import ShardRunner, ShardTask

if TYPE_CHECKING:
    from ..router import PreparedCandidates

# Repair rounds at most after the first pass; what is still above G then is reported as the gap.
MAX_REPAIRS = 3
# A shard's exchange graph is E x E bits (2 MiB at this many targets); beyond it the shards send
# none and B is the mean and fixed-load bound alone.
GRAPH_TARGETS = 4096


def goal_of(bound: int) -> int:
    """G: 2 % above the bound, or one route where 2 % is less (as one machine's balanced)."""
    return bound + max(1, bound // 50)


def route_shard(router: PreparedCandidates, task: ShardTask, threads: int | None) -> tuple[np.ndarray, dict]:
    """Balanced selection of the task's rows as a routing of their own (draws keyed by the whole
    routing's row ids) against the task's goal and base load; the summary holds the rows' loads,
    fixed loads and the kernel's report."""
    rows = task.end - task.begin
    first = router.first_row  # a shard's window numbers its rows from its own first
    routes, report = _core.select_balanced_shard(
        router._core, router.k, router.seed, task.begin - first, task.end - first, row_offset=first,
        threads=threads_for(rows, router.k, threads or 0), rounds=router.select_options.get("rounds"),
        goal=task.options.get("goal", 0), base_load=task.options.get("base_load"),
        with_graph=router.E <= GRAPH_TARGETS)
    report = dict(report)
    summary = {"loads": np.bincount(routes[routes >= 0].ravel(), minlength=router.E).astype(np.int64),
               "fixed_loads": np.asarray(report.pop("fixed_loads"), dtype=np.int64),
               "exchange_graph": report.pop("exchange_graph", None), "report": report}
    return routes, summary


def summary_bytes(E: int, shards: int) -> int:  # noqa: N803
    """What reconcile holds: per shard its loads, fixed loads and (E <= GRAPH_TARGETS) exchange
    graph; their union, unpacked to one byte per arc, once."""
    graph = E * 8 * -(-E // 64) if E <= GRAPH_TARGETS else 0
    return shards * (16 * E + graph) + (graph + E * E if graph else 0)


def closed_set_bound(graph: np.ndarray, load: np.ndarray) -> int:
    """The largest ceil(mean load) over the closures of {j : L_j >= lam}, lam over the distinct
    loads, descending; the closure of a set adds every target an arc of `graph` (E x words
    uint64, core_cpp/selection/exchange_graph.hpp) leads to from it. No arc leaves a closure, so
    its total load is the least any selection puts there, and its mean bounds the optimum."""
    E = load.size
    if E == 0:
        return 0
    arcs = np.unpackbits(np.ascontiguousarray(graph).view(np.uint8), axis=1, bitorder="little")[:, :E].astype(bool)
    closed = np.zeros(E, dtype=bool)
    total = count = best = 0
    order = np.argsort(-load, kind="stable")
    levels = load[order]
    x = 0
    while x < E:
        stack = []
        level = levels[x]
        while x < E and levels[x] == level:  # every target at this load joins, with its closure
            if not closed[order[x]]:
                closed[order[x]] = True
                stack.append(int(order[x]))
            x += 1
        while stack:
            j = stack.pop()
            total += int(load[j])
            count += 1
            reached = np.flatnonzero(arcs[j] & ~closed)
            closed[reached] = True
            stack.extend(reached.tolist())
        best = max(best, -(-total // count))
    return best


def apportion(amount: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Splits amount[j] (integers >= 0) over the rows of weights (shards x targets, >= 0) in
    proportion to weights[:, j]: floors first, then one more each to the largest remainders
    (ties: the lower shard). Columns whose weights sum to 0 are split equally."""
    n, E = weights.shape
    weights = np.where(weights.sum(axis=0) > 0, weights, 1)
    total = weights.sum(axis=0).astype(object)
    product = amount.astype(object) * weights.astype(object)  # Python ints: loads times loads overflow int64
    share = (product // total).astype(np.int64)
    remainder = (product % total).astype(np.int64)  # below the column's total, a load: int64 is exact
    left = amount - share.sum(axis=0)  # at most n - 1 per column
    order = np.lexsort((np.broadcast_to(np.arange(n)[:, None], (n, E)), -remainder), axis=0)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(n)[:, None], (n, E)), axis=0)
    return share + (rank < left)


def repair_caps(loads: list[np.ndarray], goal: int, active: np.ndarray) -> tuple[list[int], np.ndarray]:
    """The shards a repair round runs again (those routing to a target above the goal) and their
    caps per target (one row each): present load, less a share of each target's excess in
    proportion to the shard's load there, plus a share of the room below the goal on the active
    targets. Each shard's room is what it sheds plus an equal part of the rest, spread over the
    targets in proportion to the room there; so a shard's caps leave room for all its routes, and
    with the other shards' present loads every target's caps sum to exactly `goal`."""
    load = np.sum(loads, axis=0, dtype=np.int64)
    over = np.maximum(load - goal, 0)
    rerun = [n for n, held in enumerate(loads) if (held[over > 0] > 0).any()]
    if not rerun:
        return [], np.zeros((0, load.size), dtype=np.int64)
    held = np.stack([loads[n] for n in rerun])
    shed = apportion(over, held)
    room = np.where(active, np.maximum(goal - load, 0), 0)
    needed = shed.sum(axis=1)
    spare = max(int(room.sum() - needed.sum()), 0)
    quota = needed + apportion(np.array([spare]), np.ones((len(rerun), 1), dtype=np.int64))[:, 0]
    give = apportion(room, np.repeat(quota[:, None], load.size, axis=1))
    _match_row_sums(give, quota)
    return rerun, held - shed + give


def _match_row_sums(give: np.ndarray, quota: np.ndarray) -> None:
    """Moves units within columns, from rows above their quota to rows below it (each from its
    lowest columns first), until every row sums to its quota; column sums do not change."""
    diff = give.sum(axis=1) - quota
    for short in np.flatnonzero(diff < 0):
        for donor in np.flatnonzero(diff > 0):
            take = int(min(-diff[short], diff[donor]))
            before = np.cumsum(give[donor]) - give[donor]  # units in the donor's lower columns
            moved = np.clip(take - before, 0, give[donor])
            give[donor] -= moved
            give[short] += moved
            diff[donor] -= take
            diff[short] += take
            if diff[short] == 0:
                break


def _graph_bound(summaries: list[dict], load: np.ndarray) -> int:
    """closed_set_bound of the union of the shards' exchange graphs; 0 when they sent none."""
    graphs = [summary["exchange_graph"] for summary in summaries]
    if any(graph is None for graph in graphs):
        return 0
    return closed_set_bound(np.bitwise_or.reduce(graphs), load)


def reconcile(router: PreparedCandidates, plan: list[tuple[int, int]], runner: ShardRunner) -> dict:
    """Runs the plan's shards through `runner` and reconciles them (the module's docstring);
    returns the selection report of the whole routing: the global lower bound, the goal, the
    maximum load, its gap to the bound, and what the reconciliation did."""
    summaries = runner.run([ShardTask(n, a, b, {}) for n, (a, b) in enumerate(plan)])
    fixed = np.sum([summary["fixed_loads"] for summary in summaries], axis=0, dtype=np.int64)
    load = np.sum([summary["loads"] for summary in summaries], axis=0, dtype=np.int64)
    active = int(np.count_nonzero(router.t > 0))
    bound = max(-(-int(load.sum()) // active) if active else 0, int(fixed.max(initial=0)),
                _graph_bound(summaries, load))  # no selection has a smaller maximum
    goal = goal_of(bound)
    repairs = rerun_count = 0
    while int(load.max(initial=0)) > goal and repairs < MAX_REPAIRS:
        over = np.maximum(load - goal, 0)
        rerun, caps = repair_caps([summary["loads"] for summary in summaries], goal, router.t > 0)
        if not rerun:  # the excess is fixed loads no shard can move
            break
        tasks = [ShardTask(n, *plan[n], {"goal": goal, "base_load": goal - caps[x]}) for x, n in enumerate(rerun)]
        for n, summary in zip(rerun, runner.run(tasks)):
            summaries[n] = summary
        load = np.sum([summary["loads"] for summary in summaries], axis=0, dtype=np.int64)
        bound = max(bound, _graph_bound(summaries, load))  # every selection's closed sets bound the optimum
        goal = goal_of(bound)
        repairs += 1
        rerun_count += len(rerun)
        if int(np.maximum(load - goal, 0).sum()) >= int(over.sum()):
            break  # a round that lowered no excess: another would not either
    max_load = int(load.max(initial=0))
    return {"policy": "balanced", "shards": len(plan), "lower_bound": bound, "goal": goal, "max_load": max_load,
            "gap_to_lower_bound": max_load / bound - 1 if bound else 0.0, "within_goal": max_load <= goal,
            "proven_optimal": max_load <= bound, "repair_rounds": repairs, "shards_rerun": rerun_count}

"""select="balanced" on shards: the shard kernel against its reference, the exchange graph and
its bound against the exact optimum, the reconciliation's promises, and the same bytes in this
process and on Dask workers, for any worker count."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import phase_router as pr
from phase_router import _core
from phase_router.analysis.optimum import optimum_max_load
from phase_router.cli import app
from phase_router.reference import spec
from phase_router.reference.balanced import select_balanced as reference_balanced
from phase_router.routing.selection.balanced_shards import (
    GRAPH_TARGETS, apportion, closed_set_bound, reconcile, repair_caps, route_shard)
from phase_router.routing.selection.policy import ShardRunner, ShardTask
from phase_router.routing.shards import LocalShards, dask_client, route_on_shards, shard_plan


@st.composite
def shard_cases(draw):
    M, E, k = draw(st.integers(1, 40)), draw(st.integers(1, 14)), draw(st.integers(1, 5))  # noqa: N806
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    s, t = rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)
    begin = draw(st.integers(0, M))
    end = draw(st.integers(begin, M))
    base = rng.integers(-4, 3 * max(1, M * k // max(E, 1)), E) if draw(st.booleans()) else None
    goal = draw(st.sampled_from([0, 0, 1, int(rng.integers(1, 2 * M + 2))]))
    return s, t, k, draw(st.integers(0, 2**64 - 1)), draw(st.booleans()), begin, end, goal, base, draw(st.integers(0, 2))


def _candidates(s, t, k, seed, row_perm):
    S, T = spec.matrices_from_degrees(s, t)  # noqa: N806
    return spec.pipeline(S, T, k, seed, row_perm).candidates


def _graph_reference(candidates: np.ndarray, routes: np.ndarray) -> np.ndarray:
    E = candidates.shape[1]  # noqa: N806
    arcs = np.zeros((E, E), dtype=bool)
    for row, cand in zip(routes, candidates):
        kept = row[row >= 0]
        spare = cand.copy()
        spare[kept] = False
        for j in kept:
            arcs[j] |= spare
    return arcs


def _unpacked(graph: np.ndarray, E: int) -> np.ndarray:  # noqa: N803
    return np.unpackbits(graph.view(np.uint8), axis=1, bitorder="little")[:, :E].astype(bool)


@settings(max_examples=150, deadline=None)
@given(shard_cases())
def test_the_shard_kernel_equals_its_reference(case) -> None:
    s, t, k, seed, row_perm, begin, end, goal, base, rounds = case
    candidates = _candidates(s, t, k, seed, row_perm)
    router = pr.Router(s, t, k, seed=seed, row_perm=row_perm)
    routes, report = _core.select_balanced_shard(router._core, k, seed, begin, end, rounds=rounds, goal=goal,
                                                 base_load=base, with_graph=True)
    expected_report: dict = {}
    expected = reference_balanced(candidates[begin:end], t, k, seed, rounds, expected_report, first_row=begin,
                                  goal=goal, base_load=base)
    assert np.array_equal(routes, expected)
    assert np.array_equal(report["fixed_loads"], expected_report["fixed_loads"])
    assert report["goal"] == expected_report["goal"]
    assert np.array_equal(_unpacked(report["exchange_graph"], len(t)), _graph_reference(candidates[begin:end], routes))


@settings(max_examples=60, deadline=None)
@given(shard_cases())
def test_the_whole_range_without_goal_or_base_is_the_policy_itself(case) -> None:
    s, t, k, seed, row_perm, _, _, _, _, rounds = case
    router = pr.Router(s, t, k, seed=seed, row_perm=row_perm, select="balanced", select_options={"rounds": rounds})
    routes, _ = _core.select_balanced_shard(router._core, k, seed, 0, len(s), rounds=rounds)
    assert np.array_equal(routes, router.route_rows())


def test_a_shard_draws_what_the_whole_routing_draws_for_its_rows() -> None:
    """Phase A of a shard is the spec's random selection of those rows (first_row keys the draws):
    with a goal no load exceeds, nothing moves."""
    s, t = pr.inputs.degrees("uniform", 300, 40, k=6, seed=2)
    router = pr.Router(s, t, 6, seed=7)
    routes, report = _core.select_balanced_shard(router._core, 6, 7, 120, 260, goal=10**9)
    assert report["direct_moves"] == 0 and np.array_equal(routes, router.route_rows(120, 260))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_apportion_splits_exactly_in_proportion(n: int, E: int, seed: int) -> None:  # noqa: N803
    rng = np.random.default_rng(seed)
    weights = rng.integers(0, 6, (n, E))
    amount = np.minimum(rng.integers(0, 12, E), np.where(weights.sum(axis=0) > 0, weights.sum(axis=0), 12))
    share = apportion(amount, weights)
    assert np.array_equal(share.sum(axis=0), amount)
    exact = amount * weights / np.maximum(weights.sum(axis=0), 1)
    spread = np.where(weights.sum(axis=0) > 0, exact, amount / n)
    assert np.all(np.abs(share - spread) < 1)  # floor or floor + 1 of each exact share
    assert np.all((share <= weights) | (weights.sum(axis=0) == 0))


def _shapes(count: int, seed: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        M, E, k = int(rng.integers(2, 160)), int(rng.integers(1, 10)), int(rng.integers(1, 4))  # noqa: N806
        if rng.random() < 0.4:  # every row may go anywhere
            s, t = np.full(M, E), np.full(E, M)
        else:
            s, t = rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)
        yield s, t, k, int(rng.integers(0, 2**63)), int(rng.integers(1, M + 1))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_reported_bound_never_exceeds_the_exact_optimum(seed: int) -> None:
    """The proven bound the reconciliation prints, checked against the exact optimum (max-flow)
    on shapes and seeds it was not built on; the maximum load it reports is the routes' own."""
    for s, t, k, route_seed, rows in _shapes(40, seed):
        router = pr.Router(s, t, k, seed=route_seed, select="balanced")
        routes = route_on_shards(router, rows)
        report = router.selection_report
        E = len(t)  # noqa: N806
        loads = np.bincount(routes[routes >= 0], minlength=E)
        assert report["max_load"] == int(loads.max(initial=0))
        every = pr.route_degrees(s, t, E, seed=route_seed).routes  # k = E keeps every candidate
        optimum = optimum_max_load(every, k, E) if (every >= 0).any() else 0
        assert report["lower_bound"] <= optimum <= report["max_load"]
        assert report["within_goal"] == (report["max_load"] <= report["goal"])
        assert report["goal"] == report["lower_bound"] + max(1, report["lower_bound"] // 50)
        # the fan-out is the spec's: min(k, c_i) routes per row, each a candidate of its row
        random = pr.Router(s, t, k, seed=route_seed).route_rows()
        assert np.array_equal((routes >= 0).sum(axis=1), (random >= 0).sum(axis=1))
        candidates = pr.route_degrees(s, t, E, seed=route_seed).routes
        for row, cand in zip(routes, candidates):
            assert np.isin(row[row >= 0], cand).all()


def test_closed_set_bound_lies_between_the_closed_upper_sets_and_all_closed_sets() -> None:
    """Every set it averages is closed (no arc leaves it), so it is at most the best closed set's
    ceil(mean); and it sees every level set {j : L_j >= lam} that is closed already."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        E = int(rng.integers(1, 7))  # noqa: N806
        arcs = rng.random((E, E)) < 0.3
        load = rng.integers(0, 20, E)
        graph = np.zeros((E, 8), dtype=np.uint8)
        graph[:, :(E + 7) // 8] = np.packbits(arcs, axis=1, bitorder="little")
        best_closed = best_upper = 0
        for mask in range(1, 2**E):
            members = np.array([(mask >> j) & 1 for j in range(E)], dtype=bool)
            if (arcs[members][:, ~members]).any():
                continue
            mean = -(-int(load[members].sum()) // int(members.sum()))
            best_closed = max(best_closed, mean)
            if np.array_equal(members, load >= load[members].min()):  # a level set {j : L_j >= lam}
                best_upper = max(best_upper, mean)
        assert best_upper <= closed_set_bound(graph.view(np.uint64), load) <= best_closed


class _Counting(ShardRunner):
    """LocalShards that records each task, to see what the reconciliation asked."""

    def __init__(self, router) -> None:
        self.inner, self.tasks = LocalShards(router, 1), []

    def run(self, tasks):
        self.tasks.extend(tasks)
        return self.inner.run(tasks)

    def routes(self, shard):
        return self.inner.routes(shard)


def test_repairs_run_when_the_shards_overshoot_and_bring_the_maximum_to_the_goal() -> None:
    """Small shards of rows that may go anywhere: each shard meets its own goal, their sum
    overshoots the whole routing's, and the repair rounds bring it down."""
    M, E, k = 2000, 7, 1  # noqa: N806
    router = pr.Router(np.full(M, E), np.full(E, M), k, seed=3, select="balanced")
    plan = shard_plan(M, 10)
    runner = _Counting(router)
    report = reconcile(router, plan, runner)
    repairs = runner.tasks[len(plan):]
    assert report["repair_rounds"] >= 1 and len(repairs) == report["shards_rerun"] > 0
    assert all(task.options["goal"] == report["goal"] for task in repairs)
    assert report["within_goal"] and report["max_load"] <= report["goal"]


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6), st.integers(1, 8), st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_repair_caps_sum_to_the_goal_on_every_target(n: int, E: int, goal: int, seed: int) -> None:  # noqa: N803
    loads = list(np.random.default_rng(seed).integers(0, 20, (n, E)))
    goal = max(goal, -(-int(np.sum(loads)) // E))  # as reconcile's: at least the mean load
    rerun, caps = repair_caps(loads, goal, np.ones(E, dtype=bool))
    kept = [loads[x] for x in range(n) if x not in rerun]
    if not rerun:
        assert (np.sum(loads, axis=0) <= goal).all()
        return
    assert np.array_equal(caps.sum(axis=0) + np.sum(kept, axis=0, dtype=np.int64), np.full(E, goal))
    assert (caps >= 0).all()
    assert (caps.sum(axis=1) >= np.array([loads[x].sum() for x in rerun])).all()  # room for every route


def _prepared_routers() -> int:
    from phase_router.routing import shards

    return len(shards._PREPARED)


def test_the_same_plan_gives_the_same_bytes_in_process_and_on_dask_workers() -> None:
    s, t = pr.inputs.degrees("uniform", 3000, 48, k=4, seed=3)
    local_router = pr.Router(s, t, 4, seed=11, select="balanced", row_perm=True)
    local = route_on_shards(local_router, 700)
    for workers in (1, 2):
        with dask_client(workers=workers) as client:
            router = pr.Router(s, t, 4, seed=11, select="balanced", row_perm=True)
            assert np.array_equal(route_on_shards(router, 700, client=client), local)
            assert router.selection_report == local_router.selection_report
            # the workers prepared the router once each and dropped it when the run ended
            assert all(count == 0 for count in client.run(_prepared_routers).values())


@pytest.mark.parametrize("row_perm", [False, True], ids=["row windows", "whole router"])
def test_dask_workers_with_and_without_row_windows_give_the_local_bytes(row_perm: bool) -> None:
    """In input order each worker prepares only its shard's rows (PhaseWindow); with row_perm it
    prepares the whole routing. Either way, the bytes of the same plan in this process."""
    rng = np.random.default_rng(8)
    s, t = rng.integers(0, 90, 5000), rng.integers(0, 5000, 90)
    local_router = pr.Router(s, t, 5, seed=3, row_perm=row_perm, select="balanced")
    local = route_on_shards(local_router, 1100)
    with dask_client(workers=2) as client:
        router = pr.Router(s, t, 5, seed=3, row_perm=row_perm, select="balanced")
        assert np.array_equal(route_on_shards(router, 1100, client=client), local)
        assert router.selection_report == local_router.selection_report


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 3000), st.integers(1, 80), st.integers(0, 2**64 - 1), st.data())
def test_a_row_window_has_the_whole_routings_candidates(M: int, E: int, seed: int, data) -> None:  # noqa: N803
    """PhaseWindow (a shard's rows from their own degrees) lists what the whole Router lists."""
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    s, t = rng.integers(0, E + 1, M).astype(np.uint32), rng.integers(0, M + 1, E).astype(np.uint32)
    a = data.draw(st.integers(0, M))
    b = data.draw(st.integers(a, M))
    every = pr.Router(s, t, E, seed=seed).route_rows(a, b)  # k = E keeps every candidate
    window = _core.PhaseWindow(s[a:b], a, int(s[:a].sum()) % E, M, t, seed)
    listed, _ = _core.select_random(window, E, seed, 0, b - a)
    assert np.array_equal(listed, every)


def test_a_window_deep_in_a_large_routing_has_its_candidates() -> None:
    """Rows far into 2^18 (T's ring positions of a slice come from many key buckets)."""
    M, E = 2**18, 24  # noqa: N806
    rng = np.random.default_rng(2)
    s, t = rng.integers(0, E + 1, M).astype(np.uint32), rng.integers(0, M + 1, E).astype(np.uint32)
    a, b = 150_001, 152_345
    every = pr.Router(s, t, E, seed=9).route_rows(a, b)
    window = _core.PhaseWindow(s[a:b], a, int(s[:a].sum()) % E, M, t, 9)
    assert np.array_equal(_core.select_random(window, E, 9, 0, b - a)[0], every)


def test_row_local_policies_on_shards_are_the_unsharded_routes() -> None:
    s, t = pr.inputs.degrees("uniform", 500, 30, k=3, seed=1)
    router = pr.Router(s, t, 3, seed=2)
    assert np.array_equal(route_on_shards(router, 77), router.route_rows())


@pytest.mark.parametrize("select", ["greedy", "optimal"])
def test_policies_without_sharding_are_refused_on_shards(select: str) -> None:
    router = pr.Router(np.full(10, 3), np.full(3, 10), 1, select=select)
    with pytest.raises(pr.InvalidInputError, match="cannot be sharded"):
        route_on_shards(router, 4)


def test_a_task_routes_its_rows_only() -> None:
    s, t = pr.inputs.degrees("uniform", 400, 20, k=2, seed=4)
    router = pr.Router(s, t, 2, seed=5, select="balanced")
    routes, summary = route_shard(router, ShardTask(0, 100, 250, {}), 1)
    assert routes.shape == (150, 2)
    assert np.array_equal(summary["loads"], np.bincount(routes[routes >= 0], minlength=20))
    assert (summary["exchange_graph"] is not None) == (20 <= GRAPH_TARGETS)


def test_cli_balanced_on_local_workers(tmp_path: Path) -> None:
    """`route --select balanced --workers 2` writes what route_on_shards gives with the same
    chunk rows, and its statistics carry the proven bound and the gap."""
    s, t = pr.inputs.degrees("uniform", 2000, 64, k=8, seed=6)
    np.save(tmp_path / "s.npy", s)
    np.save(tmp_path / "t.npy", t)
    out = tmp_path / "r.npy"
    result = CliRunner().invoke(app, ["route", "--degrees", str(tmp_path / "s.npy"), str(tmp_path / "t.npy"), "-k", "8",
                                      "--seed", "4", "--select", "balanced", "--workers", "2", "--chunk-rows", "600",
                                      "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    selection = json.loads(result.stdout)["stats"]["selection"]
    router = pr.Router(s, t, 8, seed=4, select="balanced")
    assert np.array_equal(np.load(out), route_on_shards(router, 600))
    assert selection["shards"] == 4 and selection["lower_bound"] == router.selection_report["lower_bound"]
    assert selection["gap_to_lower_bound"] == pytest.approx(selection["max_load"] / selection["lower_bound"] - 1)


def test_the_memory_check_counts_one_shard_and_the_summaries_when_sharded() -> None:
    """Sharded, this process holds one shard's routes and the shards' summaries, not all routes
    and the policy's scratch (those are on the workers)."""
    from phase_router.cli.memory.route import route_parts
    from phase_router.routing.selection.balanced_shards import summary_bytes

    whole = route_parts(2**22, 1024, 8, 2**20, threads=2, policy="balanced", row_local=False)
    sharded = route_parts(2**22, 1024, 8, 2**20, threads=2, policy="balanced", row_local=False, sharded=True)
    assert whole["routes"] == 2**22 * 8 * 4 and sharded["routes"] == 2**20 * 8 * 4
    assert sharded["shard summaries"] == summary_bytes(1024, 4) > 4 * 1024 * 1024 // 8
    assert sharded["scratch"] < whole["scratch"]

"""totals=True on a selection kernel: what a routing's statistics need from its routes (active
routes, rows with fewer than k routes, rows with none, routes per target), taken by the call that
writes them. For every policy, candidate source, row range, strategy and thread count, they equal
the separate count over the routes (route_summary, LoadTotals.of) and NumPy's, and the routes are
those of the same call without totals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from degree_cases import Case, routing_cases
from phase_router import _core
from phase_router.routing.router import Router
from phase_router.routing.stats import LoadTotals

STRATEGIES = {"auto": 0, "dense": 1, "sparse": 2}


def numpy_totals(routes: np.ndarray, E: int) -> tuple[int, int, int, np.ndarray]:  # noqa: N803
    kept = np.count_nonzero(routes >= 0, axis=1)
    k = routes.shape[1]
    return (int(kept.sum()), int(np.count_nonzero(kept < k)), int(np.count_nonzero(kept == 0)),
            np.bincount(routes[routes >= 0], minlength=E).astype(np.int64))


def assert_totals(totals: tuple, routes: np.ndarray, E: int) -> None:  # noqa: N803
    active, underfilled, without, loads = totals
    assert loads.dtype == np.int64 and loads.shape == (E,)
    expected = numpy_totals(routes, E)
    assert (active, underfilled, without) == expected[:3]
    assert np.array_equal(loads, expected[3])
    separate = LoadTotals.of(routes, E)
    assert (separate.active, separate.underfilled, separate.rows_without_routes) == (active, underfilled, without)
    assert np.array_equal(separate.loads, loads)


@given(routing_cases(max_dim=200), st.sampled_from(sorted(STRATEGIES)), st.sampled_from([1, 2, 3]),
       st.floats(0, 1), st.floats(0, 1))
def test_random_tallies_what_it_writes(case: Case, strategy: str, threads: int, a: float, b: float) -> None:
    router = _core.Router(case.s.astype(np.uint32), case.t.astype(np.uint32), case.k, case.seed, case.row_perm,
                          STRATEGIES[strategy])
    begin, end = sorted((int(a * case.M), int(b * case.M)))
    routes, report, totals = _core.select_random(router, case.k, case.seed, begin, end, threads, None, True)
    alone, _ = _core.select_random(router, case.k, case.seed, begin, end, threads, None)
    assert report == {} and np.array_equal(routes, alone)
    assert_totals(totals, routes, case.E)


@pytest.mark.parametrize("name", ["greedy", "balanced", "optimal"])
@given(case=routing_cases(max_dim=40))
def test_whole_pass_policies_count_their_final_routes(name: str, case: Case) -> None:
    router = _core.Router(case.s.astype(np.uint32), case.t.astype(np.uint32), case.k, case.seed, case.row_perm)
    kernel = getattr(_core, f"select_{name}")
    routes, report, totals = kernel(router, case.k, case.seed, 0, None, 2, None, True)
    alone, alone_report = kernel(router, case.k, case.seed, threads=2)
    assert np.array_equal(routes, alone) and report == alone_report
    assert_totals(totals, routes, case.E)


@given(routing_cases(max_dim=60))
def test_other_candidate_sources(case: Case) -> None:
    """Sources that list rows (a mask's ascending lists, the hash router's picks, a shard's
    window) reach the tally through list rows."""
    s, t = case.s.astype(np.uint32), case.t.astype(np.uint32)
    candidates = _core.select_random(_core.Router(s, t, case.E, case.seed), case.E, case.seed)[0]
    counts = np.count_nonzero(candidates >= 0, axis=1)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.uint64)
    sources = {
        "mask": _core.MaskCandidates(offsets, candidates[candidates >= 0].astype(np.uint32), case.E, t),
        "hash": _core.HashCandidates(s, t, case.seed),
        "window": _core.PhaseWindow(s, 0, 0, case.M, t, case.seed),
    }
    for source in sources.values():
        routes, _, totals = _core.select_random(source, case.k, case.seed, 0, None, 2, None, True)
        assert_totals(totals, routes, case.E)


@pytest.mark.parametrize("select", ["random", "balanced"])
@pytest.mark.parametrize("rows", [(0, 300), (40, 260), (120, 120)])
def test_the_router_gives_routes_and_totals_for_any_row_range(select: str, rows: tuple[int, int]) -> None:
    """A policy that is not row-local routes all rows once; later ranges are slices of that pass,
    whose totals are counted from the slice."""
    rng = np.random.default_rng(4)
    router = Router(rng.integers(0, 65, 300), rng.integers(0, 301, 64), 5, seed=3, select=select)
    router.route_rows(threads=1)  # a whole pass first: balanced keeps it
    for out in (None, np.full((rows[1] - rows[0], 5), 7, dtype=np.int32)):
        routes, totals = router.routes_and_totals(*rows, out, 2, totals=True)
        assert totals is not None and (out is None or routes is out)
        assert np.array_equal(routes, router.route_rows(*rows))
        assert_totals((totals.active, totals.underfilled, totals.rows_without_routes, totals.loads), routes, 64)
        assert router.routes_and_totals(*rows, None, 1, totals=False)[1] is None

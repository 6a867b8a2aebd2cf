"""Routing.stats is made on first access, from what was taken when the routing was made (a copy
of small routes, counted then; the kernel's own totals of larger ones): the same values as
statistics made at once either way, unchanged by later writes into the routes or a reused `out`
buffer, the same object on every access, and carried by pickling."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, strategies as st

import phase_router as pr
from degree_cases import Case, routing_cases
from phase_router.routing import router as router_module
from phase_router.routing.stats import summarize

SHAPES = [(256, 256, 64), (4096, 64, 2), (300, 40, 7), (4096, 64, 8)]  # the last above COPIED_ROUTES_BYTES
# Routes copied and counted on first access (at most this many bytes), or counted by the kernel.
WAYS = {"copied": 2**62, "counted by the kernel": -1}


def _degrees(M: int, E: int, seed: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: N803
    rng = np.random.default_rng(seed)
    return rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)


def _without_timings(stats: pr.RoutingStats) -> dict:
    fields = stats.to_dict()
    fields.pop("timings_ms")
    return fields


@pytest.mark.parametrize(("M", "E", "k"), SHAPES)
def test_the_same_values_as_statistics_made_at_once(M: int, E: int, k: int) -> None:  # noqa: N803
    assert (M * k * 4 <= router_module.COPIED_ROUTES_BYTES) == ((M, E, k) != (4096, 64, 8))
    s, t = _degrees(M, E, M + E)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        routing = pr.route_degrees(s, t, k, seed=3)
        eager = summarize(routing.routes, s, t, k=k, seed=3, row_perm=False, timings_ms={})
    lazy = _without_timings(routing.stats)
    expected = _without_timings(eager)
    for name in ("selection", "warnings"):  # what only a prepared routing knows
        lazy.pop(name), expected.pop(name)
    assert lazy == expected
    assert set(routing.stats.timings_ms) == {"prepare", "kernel", "stats", "total"}


@pytest.mark.parametrize("way", sorted(WAYS))
@given(case=routing_cases(max_dim=150), select=st.sampled_from(["random", "greedy", "balanced"]),
       bounds=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_either_way_the_values_of_statistics_made_at_once(way: str, case: Case, select: str,
                                                          bounds: tuple[float, float]) -> None:
    rows = tuple(sorted(int(b * case.M) for b in bounds))
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings():
        patch.setattr(router_module, "COPIED_ROUTES_BYTES", WAYS[way])
        warnings.simplefilter("ignore")
        routing = pr.route_degrees(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm, select=select,
                                   rows=rows)
        routes = routing.routes.copy()
        routing.routes[...] = -1  # a write into the routes before the first access changes nothing
        lazy = routing.stats
    totals = router_module.LoadTotals.of(routes, case.E)  # of the routes as they were routed
    assert (lazy.active_routes, lazy.rows_underfilled, lazy.rows_without_routes) == \
        (totals.active, totals.underfilled, totals.rows_without_routes)
    assert lazy.column_load_max == int(totals.loads.max())
    assert lazy.column_load_std == float(totals.loads.astype(np.float64).std())
    assert lazy.empty_targets == int(np.count_nonzero(totals.loads == 0))
    if rows == (0, case.M):  # every field, against statistics made at once
        expected = _without_timings(summarize(routes, case.s, case.t, k=case.k, seed=case.seed,
                                              row_perm=case.row_perm, timings_ms={}))
        got = _without_timings(lazy)
        for name in ("selection", "warnings"):
            got.pop(name), expected.pop(name)
        assert got == expected


@pytest.mark.parametrize("way", sorted(WAYS))
@pytest.mark.parametrize("select", ["random", "balanced"])
def test_a_reused_out_buffer_does_not_change_earlier_statistics(monkeypatch, select: str, way: str) -> None:
    monkeypatch.setattr(router_module, "COPIED_ROUTES_BYTES", WAYS[way])
    s, t = _degrees(2048, 128, 5)
    out = np.empty((2048, 4), dtype=np.int32)
    first = pr.route_degrees(s, t, 4, seed=1, out=out, select=select)
    first_loads = pr.column_loads(first.routes, 128)  # not first.column_loads: that reads the stats
    second = pr.route_degrees(s, t, 4, seed=2, out=out, select=select)  # overwrites first.routes
    second_loads = pr.column_loads(out, 128)
    assert not np.array_equal(second_loads, first_loads)
    second_std = float(second_loads.astype(np.float64).std())
    assert first.stats.column_load_max == int(first_loads.max())
    assert first.stats.active_routes == int(first_loads.sum())
    assert first.stats.column_load_std == float(first_loads.astype(np.float64).std()) != second_std
    assert first.stats.seed == 1 and second.stats.seed == 2


def test_one_object_pickled_with_its_values_and_read_only() -> None:
    s, t = _degrees(500, 60, 9)
    routing = pr.route_degrees(s, t, 3, seed=4)
    assert routing.stats is routing.stats
    copy = pickle.loads(pickle.dumps(routing))
    assert copy == routing and copy.stats == routing.stats
    with pytest.raises(AttributeError):
        routing.routes = routing.routes  # type: ignore[misc]
    with pytest.raises(pr.PhaseRouterError):
        pr.Routing(routing.routes)

"""Routing.stats is made on first access, from load totals taken when the routing was made: the
same values as statistics made at once, unchanged by later writes into a reused `out` buffer,
the same object on every access, and carried by pickling."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest

import phase_router as pr
from phase_router.routing.stats import summarize

SHAPES = [(256, 256, 64), (4096, 64, 2), (300, 40, 7)]


def _degrees(M: int, E: int, seed: int) -> tuple[np.ndarray, np.ndarray]:  # noqa: N803
    rng = np.random.default_rng(seed)
    return rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)


def _without_timings(stats: pr.RoutingStats) -> dict:
    fields = stats.to_dict()
    fields.pop("timings_ms")
    return fields


@pytest.mark.parametrize(("M", "E", "k"), SHAPES)
def test_the_same_values_as_statistics_made_at_once(M: int, E: int, k: int) -> None:  # noqa: N803
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


@pytest.mark.parametrize("select", ["random", "balanced"])
def test_a_reused_out_buffer_does_not_change_earlier_statistics(select: str) -> None:
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

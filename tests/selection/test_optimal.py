"""select="optimal": the C++ policy against its pure-Python reference byte for byte, the optimum
it reports against SciPy's max-flow (an independent solver, analysis/optimum.py), and what every routing must keep."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from degree_cases import Case, routing_cases
import phase_router as pr
from phase_router.reference.optimal import route_degrees_optimal

from phase_router.analysis.optimum import optimum_max_load  # SciPy: in the test extra, not optional here


def _candidates(case: Case) -> np.ndarray:
    return pr.route_degrees(case.s, case.t, case.E, seed=case.seed, row_perm=case.row_perm).routes


@settings(deadline=None)
@given(routing_cases(max_dim=40), st.booleans())
def test_kernel_matches_reference(case: Case, relative: bool) -> None:
    got = pr.route_degrees(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm, select="optimal",
                           select_options={"objective": "relative" if relative else "max"})
    want, best = route_degrees_optimal(case.s, case.t, case.k, case.seed, case.row_perm, relative)
    assert np.array_equal(got.routes, want)
    report = got.stats.selection
    assert Fraction(report["optimum_numerator"], report["optimum_denominator"]) == best


@pytest.mark.parametrize(("kind", "N", "k"), [("uniform", 256, 16), ("uniform", 256, 64), ("uniform-1-k", 256, 16),
                                              ("bimodal", 256, 8), ("bands", 256, 8), ("power-law", 256, 8)])
def test_optimum_is_proven_by_an_independent_solver(kind: str, N: int, k: int) -> None:
    """The reported optimum L* is what SciPy's maximum_flow finds (analysis/optimum.py, an
    independent solver), and the routes attain it."""
    s, t = pr.inputs.degrees(kind, N, N, k=k, seed=4)
    routing = pr.route_degrees(s, t, k, seed=4, select="optimal")
    best = routing.stats.selection["optimum_numerator"]
    candidates = pr.route_degrees(s, t, N, seed=4).routes
    assert routing.stats.column_load_max == best == optimum_max_load(candidates, k, N)
    # and no other policy beats it
    for select in ("random", "greedy"):
        assert pr.route_degrees(s, t, k, seed=4, select=select).stats.column_load_max >= best


@settings(deadline=None)
@given(routing_cases(max_dim=60))
def test_keeps_min_k_c_of_its_own_candidates(case: Case) -> None:
    routes = pr.route_degrees(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm, select="optimal").routes
    candidates = _candidates(case)
    assert np.array_equal(np.count_nonzero(routes >= 0, axis=1),
                          np.minimum(case.k, np.count_nonzero(candidates >= 0, axis=1)))
    for row, cand in zip(routes, candidates):
        kept = row[row >= 0]
        assert np.isin(kept, cand).all() and np.all(np.diff(kept) > 0)


def test_row_ranges_are_slices_and_shards_are_refused() -> None:
    s, t = pr.inputs.degrees("uniform", 200, 120, k=8, seed=1)
    full = pr.route_degrees(s, t, 8, seed=1, select="optimal").routes
    assert np.array_equal(pr.route_degrees(s, t, 8, seed=1, select="optimal", rows=(30, 90)).routes, full[30:90])
    with pytest.raises(pr.InvalidInputError, match="cannot be sharded"):
        from phase_router.routing.shards import dask_chunks

        next(dask_chunks(pr.Router(s, t, 8, select="optimal"), 50, client=None))


def test_bad_objective() -> None:
    with pytest.raises(pr.InvalidInputError, match="objective must be one of"):
        pr.route_degrees([1, 1], [1, 1], 1, select="optimal", select_options={"objective": "mean"})

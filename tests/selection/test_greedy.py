"""The greedy selection mode: the C++ kernel against the NumPy reference byte for byte, thread
independence, candidates respected, and its balance target."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from degree_cases import Case, routing_cases
from phase_router import InvalidInputError, _core, reference, route_degrees
from phase_router.routing.greedy_api import route_degrees_greedy
from phase_router.analysis.metrics import max_over_mean, relative_loads
from phase_router.reference.greedy import route_degrees_greedy as reference_greedy


@given(routing_cases(max_dim=80), st.sampled_from([1, 2, 5, 16]))
def test_kernel_matches_reference(case: Case, block: int) -> None:
    router = _core.Router(case.s.astype(np.uint32), case.t.astype(np.uint32), case.k, case.seed, case.row_perm)
    got, report = _core.select_greedy(router, case.k, case.seed, threads=2, block=block)
    assert report == {"block": block}
    assert np.array_equal(got, reference_greedy(case.s, case.t, case.k, case.seed, case.row_perm, block))


@given(routing_cases(max_dim=120))
def test_routes_are_candidates_and_fill_matches_random(case: Case) -> None:
    """Greedy changes which candidates are kept, never how many: min(k, c_i) per row."""
    greedy = route_degrees_greedy(case.s, case.t, case.k, seed=case.seed, row_perm=case.row_perm).routes
    candidates = route_degrees(case.s, case.t, case.E, seed=case.seed, row_perm=case.row_perm).routes
    assert np.array_equal(np.count_nonzero(greedy >= 0, axis=1),
                          np.minimum(case.k, np.count_nonzero(candidates >= 0, axis=1)))
    for g, c in zip(greedy, candidates):
        assert np.isin(g[g >= 0], c[c >= 0]).all()


def test_thread_count_never_changes_the_result() -> None:
    rng = np.random.default_rng(3)
    s, t = rng.binomial(2048, 0.5, 2048), rng.binomial(2048, 0.5, 2048)
    runs = [route_degrees_greedy(s, t, 64, seed=5, block=32, threads=n).routes for n in (1, 2, 3, 8)]
    assert all(np.array_equal(runs[0], r) for r in runs[1:])


@pytest.mark.parametrize("N,k", [(1024, 64), (1024, 16), (2048, 128)])
def test_balance_target_where_candidates_are_plentiful(N: int, k: int) -> None:
    """The balance target: max/mean of c_j / t_j <= 1.05 wherever every row has >= 2k candidates
    (density 0.5: about N/4 candidates per row). Random selection is the comparison."""
    rng = np.random.default_rng(N + k)
    s, t = rng.binomial(N, 0.5, N), rng.binomial(N, 0.5, N)
    seed = 1
    counts = np.count_nonzero(route_degrees(s, t, N, seed=seed).routes >= 0, axis=1)
    assert counts.min() >= 2 * k
    greedy = route_degrees_greedy(s, t, k, seed=seed).column_loads
    random = route_degrees(s, t, k, seed=seed).column_loads
    assert max_over_mean(relative_loads(greedy, t)) <= 1.05
    assert max_over_mean(relative_loads(random, t)) > 1.1  # what greedy improves on


def test_reference_agrees_at_a_realistic_size() -> None:
    rng = np.random.default_rng(8)
    s, t = rng.binomial(256, 0.5, 256), rng.binomial(256, 0.5, 256)
    got = route_degrees_greedy(s, t, 16, seed=2).routes
    # The default block is the C++ core's (0: computed from M); its report says which it used.
    assert _core.selection_defaults()["greedy"] == {"block": 0}
    _, report = _core.select_greedy(_core.Router(s.astype(np.uint32), t.astype(np.uint32), 16, 2), 16, 2)
    assert report["block"] == max(1, 256 // 1024)
    assert np.array_equal(got, reference_greedy(s, t, 16, 2, False, report["block"]))


def test_worked_example_keeps_all_when_candidates_fit() -> None:
    """SPEC's worked example has c_i <= k everywhere, so greedy equals random there."""
    s, t = np.array([3, 1, 0]), np.array([2, 3, 1, 0, 3])
    assert np.array_equal(route_degrees_greedy(s, t, 2, seed=1).routes, reference.route_degrees(s, t, 2, 1))


def test_bad_block_is_a_typed_error() -> None:
    with pytest.raises(InvalidInputError):
        route_degrees_greedy(np.ones(4, dtype=int), np.ones(4, dtype=int), 2, block=0)

"""moe.preference_optimum, the yardstick: the most gate mass any routing of at most k of each
token's top-c experts keeps under the capacities, checked against brute-force enumeration of
every such routing on small cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from phase_router import moe
from phase_router.errors import InvalidInputError, SolverError
from phase_router.moe.max_mass import max_mass_assignment


def brute_force(scores: np.ndarray, k: int, top_c: int, caps: np.ndarray) -> float:
    """The best kept mass over every choice of at most k of each token's top c, capacities held."""
    M, E = scores.shape  # noqa: N806
    top = [sorted(range(E), key=lambda e: (-scores[i, e], e))[:top_c] for i in range(M)]
    choices = [[subset for size in range(k + 1) for subset in itertools.combinations(top[i], size)] for i in range(M)]
    best = 0.0
    for pick in itertools.product(*choices):
        loads = np.bincount([e for subset in pick for e in subset], minlength=E)
        if np.all(loads <= caps):
            best = max(best, sum(scores[i, e] for i, subset in enumerate(pick) for e in subset))
    return best


@st.composite
def small_cases(draw):
    M, E = draw(st.integers(1, 4)), draw(st.integers(1, 4))  # noqa: N806
    k = draw(st.integers(1, min(2, E)))
    top_c = draw(st.integers(k, min(3, E)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scores = rng.integers(0, 4, (M, E)).astype(np.float64) if draw(st.booleans()) else rng.random((M, E))
    caps = rng.integers(0, M + 1, E)
    return scores, k, top_c, caps


@settings(deadline=None, max_examples=80)
@given(case=small_cases())
def test_the_optimum_equals_brute_force_and_is_a_feasible_routing(case) -> None:
    scores, k, top_c, caps = case
    r = moe.preference_optimum(scores, k, top_c=top_c, capacity=caps)
    assert r.kept_mass == pytest.approx(brute_force(scores, k, top_c, caps), abs=1e-9)
    assert r.report["lp_optimum"] == pytest.approx(r.kept_mass, abs=1e-9)
    M, E = scores.shape  # noqa: N806
    for i in range(M):
        row = r.routes[i][r.routes[i] >= 0]
        top = sorted(range(E), key=lambda e: (-scores[i, e], e))[:top_c]
        assert set(row.tolist()) <= set(top) and np.all(np.diff(row) > 0)
        assert np.all(r.routes[i][len(row):] == -1)  # padding only after the experts
    assert np.all(np.bincount(r.routes[r.routes >= 0], minlength=E) <= caps)
    assert r.dispatch.n_dropped == 0 and r.kept_mass == pytest.approx(r.gates.sum())


def test_without_a_capacity_the_optimum_is_plain_top_k() -> None:
    scores = np.random.default_rng(1).random((200, 9))
    r = moe.preference_optimum(scores, 3, top_c=6)
    np.testing.assert_array_equal(r.routes, np.sort(np.argsort(-scores, axis=1)[:, :3], axis=1))
    assert r.kept_mass_share == pytest.approx(1.0)


def test_the_optimum_keeps_more_mass_than_balanced_routing_over_the_same_candidates() -> None:
    rng = np.random.default_rng(3)
    scores = rng.dirichlet(np.full(16, 0.3), size=2000)
    capacity = 2 * 2000 // 16
    best = moe.preference_optimum(scores, 2, top_c=6, capacity=capacity)
    for select in ("random", "balanced", "optimal"):
        other = moe.route_scores(scores, 2, top_c=6, capacity=capacity, select=select, seed=2)
        assert other.kept_mass < best.kept_mass
    assert best.dispatch.counts.max() <= capacity


def test_exactly_k_per_token_is_refused_as_infeasible_when_the_capacities_are_too_small() -> None:
    experts = np.array([[0, 1], [0, 1], [0, 1]])
    weights = np.ones((3, 2))
    routes, _ = max_mass_assignment(experts, weights, 1, np.array([2, 1]), every_token_k=True)
    assert sorted(routes[:, 0].tolist()) == [0, 0, 1]
    with pytest.raises(SolverError, match="infeasible"):
        max_mass_assignment(experts, weights, 1, np.array([1, 1]), every_token_k=True)


def test_bad_input_is_one_typed_line() -> None:
    with pytest.raises(InvalidInputError, match="finite"):
        moe.preference_optimum(np.array([[np.nan, 1.0]]), 1)
    with pytest.raises(InvalidInputError, match="exceeds top_c"):
        moe.preference_optimum(np.ones((2, 4)), 3, top_c=2)
    with pytest.raises(InvalidInputError, match="capacity"):
        moe.preference_optimum(np.ones((2, 4)), 1, capacity=-1)

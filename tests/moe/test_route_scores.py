"""moe.route_scores: each token to k of its top-c experts by gate score, loads balanced by the
selection policy over exactly those candidates, dispatched at a capacity (docs/MOE.md)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from phase_router import moe
from phase_router.errors import InvalidInputError, PhaseRouterError


def gate_scores(M: int, E: int, seed: int, temperature: float = 1.0) -> np.ndarray:  # noqa: N803
    logits = np.random.default_rng(seed).normal(size=(M, E)) / temperature
    weights = np.exp(logits - logits.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


@st.composite
def cases(draw):
    M, E = draw(st.integers(1, 60)), draw(st.integers(1, 12))  # noqa: N806
    k = draw(st.integers(1, E))
    top_c = draw(st.integers(k, E))
    ties = draw(st.booleans())  # few distinct values: many equal scores
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scores = rng.integers(0, 3, (M, E)).astype(np.float64) if ties else rng.random((M, E))
    return scores, k, top_c, draw(st.sampled_from(["random", "greedy", "balanced", "optimal"])), draw(st.integers(0, 2**64 - 1))


@settings(deadline=None, max_examples=60)
@given(case=cases())
def test_every_route_is_one_of_the_tokens_top_c_experts(case) -> None:
    scores, k, top_c, select, seed = case
    r = moe.route_scores(scores, k, top_c=top_c, select=select, seed=seed)
    M, E = scores.shape
    # the top c by the documented rule, independently: descending score, then ascending id
    for i in range(M):
        ranked = sorted(range(E), key=lambda e: (-scores[i, e], e))[:top_c]
        row = r.routes[i]
        assert row.dtype == np.int32 and np.all(row >= 0)  # every token has c >= k candidates: k routes
        assert set(row.tolist()) <= set(ranked) and len(set(row.tolist())) == k
        assert np.all(np.diff(row) > 0)
    np.testing.assert_array_equal(r.gates, np.take_along_axis(scores, r.routes.astype(np.int64), axis=1))
    assert r.kept_mass == pytest.approx(r.gates.sum()) and r.dispatch.n_dropped == 0


@settings(deadline=None, max_examples=40)
@given(case=cases())
def test_top_c_equal_to_k_is_plain_top_k(case) -> None:
    scores, k, _, select, seed = case
    r = moe.route_scores(scores, k, top_c=k, select=select, seed=seed)
    expected = np.sort(np.argsort(-scores, axis=1, kind="stable")[:, :k], axis=1)
    np.testing.assert_array_equal(r.routes, expected)
    assert r.kept_mass_share == pytest.approx(1.0)


def test_equal_scores_go_to_the_lower_expert_ids() -> None:
    scores = np.full((5, 6), 0.25)
    scores[:, 4] = 0.5  # the best; then 0, 1, 2, ... by id
    r = moe.route_scores(scores, 3, top_c=3)
    assert r.routes.tolist() == [[0, 1, 4]] * 5


def test_balanced_maximum_load_is_within_two_percent_of_the_optimum_over_the_same_candidates() -> None:
    scores = gate_scores(3000, 24, seed=4, temperature=0.5)
    scores[:, :3] *= 6  # popular experts: plain top-k overloads them
    balanced = moe.route_scores(scores, 2, top_c=6, seed=1)
    optimal = moe.route_scores(scores, 2, top_c=6, select="optimal", seed=1)
    plain = moe.route_scores(scores, 2, top_c=2, seed=1)
    most = {name: int(r.dispatch.counts.max()) for name, r in
            [("balanced", balanced), ("optimal", optimal), ("plain", plain)]}
    assert most["optimal"] <= most["balanced"] <= max(most["optimal"], int(np.ceil(1.02 * most["optimal"])))
    assert most["plain"] > 1.5 * most["balanced"]  # the restriction to the top 6 leaves room to balance
    assert balanced.report["policy"] == "balanced" and optimal.report["proof"]


def test_the_routes_do_not_depend_on_the_thread_count() -> None:
    scores = gate_scores(40_000, 32, seed=2)
    for select in ("random", "balanced"):
        one = moe.route_scores(scores, 2, top_c=5, select=select, seed=9, threads=1)
        two = moe.route_scores(scores, 2, top_c=5, select=select, seed=9, threads=2)
        assert one.routes.tobytes() == two.routes.tobytes()


def test_the_seed_decides_among_equally_good_routes_and_nothing_else_does() -> None:
    scores = gate_scores(500, 8, seed=3)
    a, b = (moe.route_scores(scores, 2, top_c=4, seed=5) for _ in range(2))
    assert np.array_equal(a.routes, b.routes)
    assert not np.array_equal(a.routes, moe.route_scores(scores, 2, top_c=4, seed=6).routes)


def test_float32_scores_route_like_the_same_values_in_float64() -> None:
    scores = gate_scores(400, 10, seed=8).astype(np.float32)
    a = moe.route_scores(scores, 2, top_c=4, seed=1)
    b = moe.route_scores(scores.astype(np.float64), 2, top_c=4, seed=1)
    assert np.array_equal(a.routes, b.routes) and np.array_equal(a.gates, b.gates)


def test_a_capacity_drops_routes_and_their_gate_mass() -> None:
    scores = gate_scores(1000, 8, seed=5)
    scores[:, 0] *= 20  # everyone's favourite
    r = moe.route_scores(scores, 1, top_c=1, capacity=100)
    assert r.dispatch.counts.max() == 100 and r.dispatch.n_dropped == int(r.routes[:, 0].tolist().count(0)) - 100
    kept = r.dispatch.slots >= 0
    assert r.kept_mass == pytest.approx(r.gates[kept].sum()) and r.kept_mass < r.gates.sum()
    assert r.kept_mass_share == pytest.approx(r.kept_mass / np.sort(scores, axis=1)[:, -1].sum())


@pytest.mark.parametrize(("scores", "k", "top_c", "says"), [
    (np.array([[0.5, np.nan]]), 1, None, "finite"),
    (np.array([[0.5, np.inf]]), 1, None, "finite"),
    (np.array([[0.5, -0.1]]), 1, None, "non-negative"),
    (np.ones(4), 1, None, "2-D"),
    (np.ones((2, 2, 2)), 1, None, "2-D"),
    (np.ones((0, 3)), 1, None, "at least one token"),
    (np.ones((3, 0)), 1, None, "at least one token"),
    (np.ones((2, 3), dtype=complex), 1, None, "real numbers"),
    (np.array([["a", "b"]]), 1, None, "real numbers"),
    (np.ones((2, 4)), 3, 2, "exceeds top_c"),
    (np.ones((2, 4)), 2, 5, "top_c = 5 exceeds the 4 experts"),
    (np.ones((2, 4)), 5, None, "k = 5 exceeds the 4 experts"),
    (np.ones((2, 4)), 0, None, "k must be between"),
    ([[1, 2], [3]], 1, None, "rectangular"),
])
def test_bad_input_is_one_typed_line(scores, k, top_c, says) -> None:
    with pytest.raises(InvalidInputError, match=says) as raised:
        moe.route_scores(scores, k, top_c=top_c)
    assert isinstance(raised.value, PhaseRouterError) and "\n" not in str(raised.value)


def test_default_top_c_is_twice_k_within_the_experts() -> None:
    scores = gate_scores(50, 6, seed=1)
    assert moe.route_scores(scores, 2).top_c == 4 and moe.route_scores(scores, 4).top_c == 6


@settings(deadline=None, max_examples=200)
@given(case=cases())
def test_the_top_c_set_is_the_stable_rankings_first_c(case) -> None:
    """top_mask's O(M E) selection (partition, then the lowest ids among equal scores) is the set
    a stable descending sort ranks first, ties included; topk_mass adds its k largest."""
    from phase_router.moe.gate_scores import top_mask, topk_mass

    scores, k, top_c, _, _ = case
    ranked = np.argsort(-scores, axis=1, kind="stable")
    expected = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(expected, ranked[:, :top_c], True, axis=1)
    assert np.array_equal(top_mask(scores, top_c), expected)
    assert topk_mass(scores, k) == pytest.approx(np.take_along_axis(scores, ranked[:, :k], axis=1).sum())

"""The MoE routers of the evaluation (analysis/gate_routers/), each checked for the property
that defines it in its paper, against an independent restatement of the rule."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import phase_router as pr
from phase_router import moe
from phase_router.analysis.gate_routers import (BaseLayer, BiasBalancing, ExpertChoice, HashLayer, PhaseOblivious,
                                                PhasePreference, PhaseScores, PreferenceOptimum, SwitchTopK,
                                                gate_routers)
from phase_router.analysis.gate_routers.batch import GateBatch
from phase_router.inputs.gate_scores import gate_logits, gate_model, softmax


def make_batch(M: int, E: int, k: int, factor: float, seed: int = 0, model_seed: int = 1, **model) -> GateBatch:  # noqa: N803
    logits = gate_logits(gate_model(E, seed=model_seed, **model), M, seed)
    return GateBatch(logits, softmax(logits), k, factor, seed)


@st.composite
def batches(draw):
    E = draw(st.integers(2, 12))  # noqa: N806
    return make_batch(draw(st.integers(1, 80)), E, draw(st.integers(1, min(3, E))),
                      draw(st.sampled_from([0.5, 1.0, 1.25, 2.0])), draw(st.integers(0, 1000)), draw(st.integers(0, 9)))


def pairs(decision) -> set[tuple[int, int]]:
    return set(zip(decision.tokens.tolist(), decision.experts.tolist()))


@settings(deadline=None, max_examples=40)
@given(batch=batches())
def test_switch_keeps_each_experts_first_c_choices_choice_major_in_token_order(batch) -> None:
    decision = SwitchTopK().route(batch)
    ranked = [sorted(range(batch.E), key=lambda e: (-batch.scores[i, e], e))[:batch.k] for i in range(batch.M)]
    taken = np.zeros(batch.E, dtype=int)
    expected = set()
    for j in range(batch.k):  # the GShard order: every token's first choice, then every second choice
        for i in range(batch.M):
            e = ranked[i][j]
            if taken[e] < batch.capacity:
                expected.add((i, e))
            taken[e] += 1
    assert pairs(decision) == expected and len(expected) == decision.tokens.size
    assert np.array_equal(decision.sent, taken)


@settings(deadline=None, max_examples=40)
@given(batch=batches())
def test_expert_choice_fills_every_expert_with_its_highest_scoring_tokens(batch) -> None:
    decision = ExpertChoice().route(batch)
    C = min(batch.capacity, batch.M)  # noqa: N806
    for e in range(batch.E):
        chosen = decision.tokens[decision.experts == e]
        assert chosen.size == C == len(set(chosen.tolist()))
        rest = np.setdiff1d(np.arange(batch.M), chosen)
        if rest.size:
            assert batch.scores[chosen, e].min() >= batch.scores[rest, e].max()


def test_expert_choice_leaves_some_tokens_without_an_expert_and_gives_others_several() -> None:
    batch = make_batch(2000, 16, 1, 1.0, zipf=0.0, temperature=0.3)
    per_token = np.bincount(ExpertChoice().route(batch).tokens, minlength=2000)
    assert (per_token == 0).sum() > 50 and per_token.max() >= 3


def brute_force_base(batch: GateBatch) -> float:
    cap = math.ceil(batch.k * batch.M / batch.E)
    best = -np.inf
    options = list(itertools.combinations(range(batch.E), batch.k))
    for pick in itertools.product(options, repeat=batch.M):
        loads = np.bincount([e for row in pick for e in row], minlength=batch.E)
        if loads.max() <= cap:
            best = max(best, sum(batch.logits[i, e] for i, row in enumerate(pick) for e in row))
    return best


@settings(deadline=None, max_examples=30)
@given(M=st.integers(1, 5), E=st.integers(2, 3), k=st.integers(1, 2), seed=st.integers(0, 1000))
def test_base_layer_is_the_best_balanced_assignment_by_brute_force(M: int, E: int, k: int, seed: int) -> None:  # noqa: N803
    batch = make_batch(M, E, min(k, E), 2.0, seed)
    decision = BaseLayer().route(batch)
    per_token = np.bincount(decision.tokens, minlength=M)
    assert np.all(per_token == batch.k) and len(pairs(decision)) == M * batch.k
    assert decision.sent.max() <= math.ceil(batch.k * M / E)
    assert batch.logits[decision.tokens, decision.experts].sum() == pytest.approx(brute_force_base(batch), abs=1e-9)


def test_bias_balancing_without_learning_is_switch_and_learning_moves_the_bias_against_the_load() -> None:
    batch = make_batch(3000, 16, 2, 1.25, zipf=1.5)
    router = BiasBalancing(gamma=0.01)
    assert pairs(router.route(batch)) == pairs(SwitchTopK().route(batch))
    loads = router.route(batch).sent
    router.learn(batch)
    assert np.array_equal(np.sign(router.bias), np.sign(loads.mean() - loads)) and np.all(np.abs(router.bias) == 0.01)


def test_bias_balancing_learns_to_balance_a_skewed_gate_over_batches() -> None:
    router = BiasBalancing()
    for seed in range(150):
        router.learn(make_batch(2048, 16, 2, 1.0, seed=seed + 1, zipf=1.5, dim=16))
    batch = make_batch(2048, 16, 2, 1.0, seed=0, zipf=1.5, dim=16)
    learned, switch = router.route(batch), SwitchTopK().route(batch)
    assert learned.sent.max() < 0.7 * switch.sent.max()
    assert learned.tokens.size > switch.tokens.size  # fewer drops at the same capacity


def test_the_hash_layer_and_the_oblivious_phase_router_ignore_the_scores() -> None:
    batch = make_batch(500, 8, 2, 1.25)
    shuffled = GateBatch(batch.logits[:, ::-1].copy(), batch.scores[:, ::-1].copy(), 2, 1.25, batch.seed)
    for router in (HashLayer(), PhaseOblivious()):
        assert pairs(router.route(batch)) == pairs(router.route(shuffled))
    hashed = pr.hash_route(np.full(500, 8), np.full(8, 500), 2, seed=batch.seed).routes
    assert np.array_equal(HashLayer().route(batch).sent, np.bincount(hashed.reshape(-1), minlength=8))
    assert np.ptp(PhaseOblivious().route(batch).sent) <= 1  # k M / E each, to within one


@settings(deadline=None, max_examples=25)
@given(batch=batches(), extra=st.integers(0, 2))
def test_phase_scores_and_the_optimum_use_only_the_top_c_and_the_optimum_keeps_the_most_mass(batch, extra) -> None:
    c = min(batch.E, batch.k + extra)
    top = {(i, int(e)) for i in range(batch.M) for e in np.argsort(-batch.scores[i], kind="stable")[:c]}
    phase, best = PhaseScores(extra).route(batch), PreferenceOptimum(extra).route(batch)
    switch = SwitchTopK().route(batch)  # top-k at the capacity is one of the optimum's candidates
    assert pairs(phase) <= top and pairs(best) <= top
    assert best.sent.max() <= batch.capacity
    mass = {name: batch.scores[d.tokens, d.experts].sum() for name, d in
            [("phase", phase), ("best", best), ("switch", switch)]}
    assert mass["best"] >= max(mass["phase"], mass["switch"]) - 1e-9


@settings(deadline=None, max_examples=25)
@given(batch=batches(), extra=st.integers(0, 2))
def test_phase_preference_sends_the_least_max_load_and_then_the_most_mass(batch, extra) -> None:
    """Its loads sent peak at the smallest maximum any selection of k of the top c reaches (no
    balanced routing of those candidates sends less), and among the selections that reach it,
    none keeps more mass: checked against the balanced router and the LP optimum at that cap."""
    c = min(batch.E, batch.k + extra)
    preferred, balanced = PhasePreference(extra).route(batch), PhaseScores(extra).route(batch)
    peak = int(preferred.sent.max())
    assert peak <= balanced.sent.max()
    sent = moe.route_scores(batch.scores, batch.k, top_c=c, select="optimal")
    assert peak == int(np.bincount(sent.routes[sent.routes >= 0], minlength=batch.E).max())
    routed = moe.route_scores(batch.scores, batch.k, top_c=c, select="optimal", select_options={"objective": "preference"})
    exact_k = moe.max_mass.max_mass_assignment(  # every token exactly k experts, every expert at most `peak`
        np.argsort(-batch.scores, axis=1, kind="stable")[:, :c], -np.sort(-batch.scores, axis=1, kind="stable")[:, :c],
        batch.k, np.full(batch.E, peak), every_token_k=True)[0]
    best = batch.scores[np.arange(batch.M)[:, None].repeat(batch.k, 1)[exact_k >= 0], exact_k[exact_k >= 0]].sum()
    kept = batch.scores[np.arange(batch.M)[:, None].repeat(batch.k, 1)[routed.routes >= 0], routed.routes[routed.routes >= 0]].sum()
    assert kept == pytest.approx(best, rel=1e-6)


def test_every_router_is_listed_once_with_a_summary() -> None:
    routers = gate_routers()
    assert len({r.name for r in routers}) == len(routers) >= 8
    assert all(r.summary for r in routers)
    batch = make_batch(64, 8, 2, 1.25)
    for router in routers:
        decision = router.route(batch)
        assert decision.sent.shape == (8,) and decision.tokens.shape == decision.experts.shape
        assert len(pairs(decision)) == decision.tokens.size  # no pair twice

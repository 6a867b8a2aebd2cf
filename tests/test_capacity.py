"""Seed-averaged statistics and capacity planning against theory and hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router import InvalidInputError
from phase_router.analysis.capacity import dropped_routes, estimate_capacity, moe_capacity, suggest_k
from phase_router.analysis.montecarlo import analyze_distribution, ideal_loads, naive_loads


def test_dropped_routes_by_hand() -> None:
    loads = np.array([6, 2, 4, 0])  # mean 3; factor 1.0 -> capacity 3: drops 3 + 1
    assert dropped_routes(loads, 1.0) == (4, 3)
    assert dropped_routes(loads, 2.0) == (0, 6)


def test_moe_matches_balls_into_bins() -> None:
    """Dense MoE inputs: every token's candidates are all experts, so top-k is a uniform k-subset
    and an expert's load is Binomial(tokens, k / E): mean tokens k / E, variance times (1 - k/E).
    With capacity factor 10 nothing drops."""
    out = moe_capacity(4096, 32, 2, 10.0, range(4))
    assert out["dropped_assignments_mean"] == 0 and out["tokens_dropped_mean"] == 0
    mean, sd = 4096 * 2 / 32, np.sqrt(4096 * 2 / 32 * (1 - 2 / 32))
    assert mean < out["max_load_mean"] < mean + 4 * sd  # max of 32 ~ mean + 2 sd


def test_ideal_equals_naive_when_rows_have_k_candidates() -> None:
    s, t = np.full(100, 80), np.arange(1, 101)
    assert np.allclose(ideal_loads(s, t, 10), naive_loads(t, 100, 10))  # E[c_i] = 40 >= 10
    assert np.allclose(ideal_loads(s, t, 100), t * s.sum() / (100 * 100))  # no cap: t_j sum(s) / (M E)


def test_capacity_percentile_and_distribution() -> None:
    rng = np.random.default_rng(0)
    s, t = rng.binomial(512, 0.5, 512), rng.binomial(512, 0.5, 512)
    est = estimate_capacity(s, t, 32, 90.0, range(30))
    assert est.capacity_uniform >= max(est.capacity_per_target) - 1 and 0 < est.utilisation < 1
    dist = analyze_distribution(s, t, [8, 512], range(5))
    assert abs(dist["candidates_mean_empirical"] / dist["candidates_mean_theory"] - 1) < 0.02
    assert dist["per_k"][0]["fill_empirical"] == 1.0
    # k = E >= every c_i: routes are the candidates, so min(k, E[c_i]) = E[c_i] up to seed noise
    assert abs(dist["per_k"][1]["routes_per_row_empirical"] / dist["per_k"][1]["routes_per_row_theory_bound"] - 1) < 0.02


def test_suggest_k_says_when_no_k_can() -> None:
    s, t = np.ones(256, dtype=int), np.ones(256, dtype=int)  # about 1/256 candidates per row
    result = suggest_k(s, t, target_fill=0.5, seeds=range(2))
    assert result.k is None and "k = 1" in result.reason
    rng = np.random.default_rng(1)
    s, t = rng.binomial(256, 0.5, 256), rng.binomial(256, 0.5, 256)
    result = suggest_k(s, t, target_fill=0.99, seeds=range(2))
    assert result.evaluated[result.k]["fill"] >= 0.99
    assert result.k == 256 or result.evaluated.get(result.k + 1, {"fill": 0})["fill"] < 0.99
    with pytest.raises(InvalidInputError):
        suggest_k(s, t)

"""phase_router.compat: the original system's statistics calls, with its names, signatures,
defaults and fields, on this project's routing and corrected formulas (docs/COMPAT.md)."""

from __future__ import annotations

import numpy as np
import pytest

import phase_router as pr
from phase_router import compat

pytestmark = pytest.mark.filterwarnings("ignore:wrap-count regime")

RNG = np.random.default_rng(11)
S = (RNG.random((256, 256)) < 0.5).astype(np.uint8)
T = (RNG.random((256, 256)) < 0.5).astype(np.uint8)


def test_original_calls_and_fields() -> None:
    stats = compat.monte_carlo_stats(S, T, 16)
    for key in ("mean_load", "std_load", "p95_load", "max_load", "temporal_skew", "global_skew", "ideal_mean", "bias",
                "relative_error", "raw_samples", "num_samples", "k", "N"):
        assert key in stats
    assert stats["raw_samples"].shape == (32, 256) and stats["num_samples"] == 32  # the original's default
    capacity = compat.estimate_expert_capacity(S, T, 16)
    for key in ("mean_capacity", "required_capacity", "headroom", "utilization", "confidence_level", "raw_samples"):
        assert key in capacity
    assert capacity["raw_samples"].shape == (50, 256) and capacity["confidence_level"] == 0.95
    suggestion = compat.suggest_k_for_balance(S, T, 1.5, 8, 64, 4, 42, False)
    for key in ("recommended_k", "achieved_skew", "target_skew", "search_results", "stats", "success", "num_evaluations"):
        assert key in suggestion
    analysis = compat.analyze_routing_distribution(S, T, [8, 16], 4)
    assert [r["k"] for r in analysis["analysis_results"]] == [8, 16]
    for key in ("global_skew", "mean_load", "max_load", "std_load", "p95_load", "total_routes", "edge_density",
                "theoretical_density"):
        assert key in analysis["analysis_results"][0]
    assert compat.sample_many(S, T, 16).shape == (16, 256)


def test_samples_are_the_routings_of_seed_base_plus_i() -> None:
    loads = compat.sample_many(S, T, 8, num_samples=3, seed_base=7)
    for x in range(3):
        assert np.array_equal(loads[x], pr.route(S, T, 8, seed=7 + x).column_loads)
    s, t = S.sum(1), T.sum(1)
    assert np.array_equal(compat.sample_many(s, t, 8, 3, 7), loads)  # degree vectors work too


def test_ideal_mean_follows_the_measured_mean() -> None:
    """Corrected ideal_mean (T's row sums, the cap, the wrap count) against 200-seed means: within
    2 % in total variation (sampling noise alone is ~1 %), where the original's formula (T's
    column sums) is off by several times that."""
    stats = compat.monte_carlo_stats(S, T, 16, num_samples=200)
    mean = stats["mean_load"]
    assert np.abs(stats["bias"]).sum() / mean.sum() < 0.02
    original = mean.sum() * T.sum(axis=0) / T.sum()
    assert np.abs(original - mean).sum() / mean.sum() > 0.04


def test_joint_capacity_holds_on_fresh_seeds() -> None:
    """Fit on seeds 42..91 (the defaults); every column stays under joint_required_capacity in at
    least 85 % of 200 fresh seeds, while the per-column percentiles hold all at once far less."""
    fit = compat.estimate_expert_capacity(S, T, 16, confidence=0.95)
    fresh = compat.sample_many(S, T, 16, num_samples=200, seed_base=10_000)
    joint = np.mean(fresh.max(axis=1) <= fit["joint_required_capacity"])
    marginal = np.mean(np.all(fresh <= fit["required_capacity"], axis=1))
    assert joint >= 0.85 and marginal < joint


def test_suggestion_is_judged_on_fresh_seeds() -> None:
    result = compat.suggest_k_for_balance(S, T, target_skew=1.3, min_k=4, max_k=128, samples_per_k=6, verbose=False)
    fresh = compat.monte_carlo_stats(S, T, result["recommended_k"], 12, 42 + 1_000_003)
    assert result["achieved_skew"] == fresh["global_skew"]
    assert result["success"] == (fresh["global_skew"] <= 1.3)


def test_validation() -> None:
    S2 = S.copy()
    S2[:3] = 0
    T2 = T.copy()
    T2[5] = 0
    report = compat.validate_routing_inputs(S2, T2, 16)
    assert report["is_valid"] and report["empty_rows"] == [0, 1, 2] and report["empty_cols"] == [5]
    assert compat.validate_routing_inputs(np.ones((4, 3)), np.ones((4, 3)), 2)["is_valid"] is False
    with pytest.raises(pr.InvalidInputError):
        compat.suggest_k_for_balance(S, T, target_skew=float("nan"))

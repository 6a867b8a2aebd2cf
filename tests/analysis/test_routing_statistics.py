"""Per-routing statistics on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router import route_degrees
from phase_router.analysis.metrics import gini, load_summary, max_over_mean, overflow, relative_loads


def test_worked_example_statistics_by_hand() -> None:
    """SPEC's example: routes [[0, 4], [-1, -1], [-1, -1]], so loads (1, 0, 0, 0, 1)."""
    stats = route_degrees(np.array([3, 1, 0]), np.array([2, 3, 1, 0, 3]), 2, seed=1).stats
    assert stats.active_routes == 2 and stats.fill_ratio == pytest.approx(2 / 6)
    assert stats.column_load_mean == pytest.approx(0.4)
    assert stats.column_load_std == pytest.approx(np.sqrt(0.24))  # E[x^2] - mean^2 = 0.4 - 0.16
    assert stats.max_violation == pytest.approx(1.5)  # max/mean = 1 / 0.4
    assert stats.column_load_gini == pytest.approx(0.6)  # sorted (0,0,0,1,1): 2*(4+5)/(5*2) - 6/5
    assert stats.empty_targets == 3
    assert stats.rows_underfilled == 2 and stats.rows_without_routes == 2
    assert stats.rows_underfilled_empty_source == 1  # row 2 has s = 0
    assert stats.edge_density == pytest.approx(2 / 15)
    assert stats.candidate_density_theory == pytest.approx(4 * 9 / 15**2)
    # c_j / t_j over t_j > 0: (1/2, 0, 0, 1/3) -> max 1/2, mean 5/24
    assert stats.capacity_load_max == pytest.approx(0.5)
    assert stats.capacity_load_mean == pytest.approx(5 / 24)
    assert "column_load_gini" in stats.to_dict()


def test_gini_known_values() -> None:
    assert gini([5, 5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 8]) == pytest.approx(3 / 4)  # (n - 1) / n
    assert gini([0, 0]) == 0.0
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)  # sum |xi - xj| / (2 n^2 mean) = 8 / 36


def test_summary_overflow_and_relative_loads() -> None:
    loads = np.array([4, 2, 0, 2])
    summary = load_summary(loads, t=np.array([2, 1, 0, 4]))
    assert summary["max_over_mean"] == pytest.approx(2.0) and summary["max_violation"] == pytest.approx(1.0)
    assert summary["std"] == pytest.approx(np.sqrt(2.0)) and summary["empty_targets"] == 1
    assert np.allclose(relative_loads(loads, [2, 1, 0, 4]), [2, 2, 0.5])
    assert summary["relative_max_over_mean"] == pytest.approx(2 / (4.5 / 3))
    assert overflow(loads, 2) == 2 and overflow(loads, [1, 1, 1, 1]) == 5
    assert max_over_mean([0, 0]) == 0.0


def test_density_statistic_matches_theory_without_cap() -> None:
    """With k = E nothing is dropped, so edge density estimates E[O_ij] = s_i t_j / (M E)."""
    rng = np.random.default_rng(0)
    s, t = rng.binomial(512, 0.3, 512), rng.binomial(512, 0.6, 512)
    densities = [route_degrees(s, t, 512, seed=seed).stats for seed in range(5)]
    measured = np.mean([d.edge_density for d in densities])
    assert abs(measured / densities[0].candidate_density_theory - 1) < 0.02

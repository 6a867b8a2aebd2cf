"""The k-cap theory corrected for the wrap count (routing/theory.py, docs/SPEC.md "Theory"):
T's arcs cover ring positions q < sum(t) mod M once more than the rest, which the old claim
("the cap keeps expected loads proportional to t_j") missed; tests against measurement, the MoE
recipe that avoids it, and the warning."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import phase_router as pr
from phase_router.routing.theory import coverage, expected_loads, wrap_count_imbalance, wrap_count_warning
from phase_router.cli import app
from phase_router.inputs import expert_capacity, whole_wrap_capacities

# These tests route in the regime on purpose; the one that checks the warning still sees it.
pytestmark = pytest.mark.filterwarnings("ignore:wrap-count regime")


def test_candidate_counts_follow_the_coverage_profile() -> None:
    """s_i = E: source i's candidates are exactly the n_q = W + [q < r] arcs covering it, so
    exactly r sources have W + 1 candidates and the rest W, on every seed and row order."""
    M, E = 1000, 40
    t = np.full(E, math.ceil(1.25 * 2 * M / E))  # 63 x 40 = 2520 = 2 x 1000 + 520
    W, r = coverage(t, M)
    assert (W, r) == (2, 520)
    for seed in range(3):
        for row_perm in (False, True):
            c = np.count_nonzero(pr.route_degrees(np.full(M, E), t, E, seed=seed, row_perm=row_perm).routes >= 0, axis=1)
            assert np.bincount(c, minlength=W + 2)[W:].tolist() == [M - r, r]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_moe_ceil_capacities_pin_max_over_mean_at_the_factor(k: int) -> None:
    """The ceil recipe t_j = ceil(1.25 k M / E): targets whose arcs lie in the W-covered
    region must take every source they cover, so max load = t_j and max/mean = t_j / (k M / E)
    on every seed, for random and for the optimum alike (the candidate graph itself is unbalanced)."""
    M, E = 4096, 64
    t = np.full(E, expert_capacity(M, E, k, 1.25))
    for seed in range(3):
        random = pr.route_degrees(np.full(M, E), t, k, seed=seed)
        optimal = pr.route_degrees(np.full(M, E), t, k, seed=seed, select="optimal")
        for routing in (random, optimal):
            assert routing.stats.column_load_max == t[0]
            assert routing.stats.column_load_max_over_mean == pytest.approx(t[0] / (k * M / E))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_moe_whole_wrap_recipe_balances(k: int) -> None:
    """sum(t) a multiple of M: with c = k every token has exactly k candidates and every expert
    takes exactly t_j (max/mean 1); with c = round(1.25 k) > k the expected loads are equal and
    only the selection's sampling noise remains."""
    M, E = 4096, 64
    exact = whole_wrap_capacities(M, E, k, 1.0)
    assert int(exact.sum()) == k * M and wrap_count_warning(np.full(M, E), exact, k) is None
    routing = pr.route_degrees(np.full(M, E), exact, k, seed=1)
    assert routing.stats.column_load_max_over_mean == 1.0 and routing.stats.fill_ratio == 1.0
    roomy = whole_wrap_capacities(M, E, k, 1.25)
    assert int(roomy.sum()) % M == 0
    assert np.ptp(expected_loads(np.full(M, E), roomy, k) / roomy) < 1e-12


@pytest.mark.parametrize(("kind", "N", "k", "factor"), [("moe", 2048, 1, 1.25), ("moe", 2048, 2, 1.25),
                                                       ("moe", 2048, 2, 1.6), ("uniform", 512, 64, None)])
def test_expected_loads_match_seed_averages(kind: str, N: int, k: int, factor) -> None:
    """The corrected E[L_j] against 40 seeds' mean loads (row_perm off, so the arcs sit in input
    order): within 4 % in total variation, where the old proportional-to-t_j claim is off by the
    wrap-count factor for MoE."""
    if kind == "moe":
        s, t = np.full(N, 32), np.full(32, expert_capacity(N, 32, k, factor))
    else:
        s, t = pr.inputs.degrees("uniform", N, N, k=k, seed=0)
    loads = np.mean([pr.route_degrees(s, t, k, seed=x).column_loads for x in range(40)], axis=0)
    theory = expected_loads(s, t, k)
    assert np.abs(loads - theory).sum() / loads.sum() < 0.04
    if kind == "moe" and wrap_count_imbalance(s, t, k) > 1.05:
        proportional = t * loads.sum() / t.sum()  # the old claim
        assert np.abs(loads - proportional).sum() / loads.sum() > 0.08


def test_the_api_cli_and_stats_warn_in_the_regime(tmp_path: Path) -> None:
    M, E, k = 512, 16, 2
    s, t = np.full(M, E), np.full(E, expert_capacity(M, E, k, 1.25))
    with pytest.warns(UserWarning, match="wrap-count regime"):
        routing = pr.route_degrees(s, t, k)
    assert routing.stats.warnings and "wrap-count" in routing.stats.warnings[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pr.route_degrees(s, whole_wrap_capacities(M, E, k, 1.25), k).stats.warnings == []
    np.save(tmp_path / "s.npy", s)
    np.save(tmp_path / "t.npy", t)
    result = CliRunner().invoke(app, ["route", "--degrees", str(tmp_path / "s.npy"), str(tmp_path / "t.npy"),
                                      "-k", str(k), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: wrap-count regime")
    assert json.loads(result.stdout)["stats"]["warnings"]


@pytest.mark.parametrize("seed", range(12))
def test_the_routers_warning_is_the_public_one(seed: int) -> None:
    """A prepared Router warns from its checked degrees without checking them again: the same
    message (or none) as wrap_count_warning, and the same factor as wrap_count_imbalance."""
    from phase_router.routing.theory import _checked_wrap_count_warning

    rng = np.random.default_rng(seed)
    M, E = int(rng.integers(1, 300)), int(rng.integers(1, 80))
    s, t = rng.integers(0, E + 1, M), rng.integers(0, M + 1, E)
    k = int(rng.integers(1, E + 2))
    router = pr.Router(s, t, k, seed=seed)
    assert router._core.target_total == int(t.sum())
    assert _checked_wrap_count_warning(router.s, router.t, k) == wrap_count_warning(s, t, k)
    assert router.input_warnings() == ([wrap_count_warning(s, t, k)] if wrap_count_warning(s, t, k) else [])
    W, r = coverage(t, M)
    if r and W:
        share = s / E
        high, low = np.minimum(share, k / (W + 1)).mean(), np.minimum(share, k / W).mean()
        expected = float(low / high) if high > 0 else 1.0
        assert math.isclose(wrap_count_imbalance(s, t, k), expected, rel_tol=1e-12)
    else:
        assert wrap_count_imbalance(s, t, k) == 1.0

"""select="greedy" through route(), route_degrees() and `route --select`: the same routes as the
greedy kernel's own entry point, and refused where it cannot apply."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import phase_router as pr
from phase_router import io
from phase_router.cli import app
from phase_router.routing.selection import POLICIES

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RNG = np.random.default_rng(8)
S = RNG.random((300, 120)) < 0.5
T = RNG.random((120, 300)) < 0.5


def test_route_select_greedy_is_the_greedy_kernel() -> None:
    via_route = pr.route(S, T, 8, seed=3, select="greedy").routes
    assert np.array_equal(via_route, pr.route_greedy(S, T, 8, seed=3).routes)
    assert np.array_equal(pr.route_degrees(S.sum(1), T.sum(1), 8, seed=3, select="greedy").routes, via_route)
    assert not np.array_equal(via_route, pr.route(S, T, 8, seed=3).routes)  # it is a different rule


def test_greedy_balances_better_than_random_here() -> None:
    greedy = pr.route(S, T, 8, seed=3, select="greedy").stats.column_load_max_over_mean
    random = pr.route(S, T, 8, seed=3).stats.column_load_max_over_mean
    assert greedy < random


@pytest.mark.parametrize(("kwargs", "needle"), [({"select": "best"}, "select must be one of"),
                                                ({"select": "greedy", "select_options": {"blok": 3}}, "block only"),
                                                ({"select": "greedy", "select_options": {"block": 0}}, "block"),
                                                ({"select": "random", "select_options": {"block": 3}}, "no options"),
                                                ({"row_perm": "false"}, "row_perm must be True or False")])
def test_select_errors(kwargs, needle: str) -> None:
    with pytest.raises(pr.InvalidInputError, match=needle):
        pr.route(S, T, 8, **kwargs)


@pytest.mark.parametrize("select", list(POLICIES))
def test_every_policy_takes_row_ranges_and_out(select: str) -> None:
    """rows= is the same slice of the full routing for every policy (a policy that is not
    row-local routes all rows once and slices), and out= is filled in place."""
    full = pr.route(S, T, 8, seed=4, select=select).routes
    assert np.array_equal(pr.route(S, T, 8, seed=4, select=select, rows=(17, 140)).routes, full[17:140])
    buffer = np.full((300, 8), 7, dtype=np.int32)
    assert pr.route(S, T, 8, seed=4, select=select, out=buffer).routes is buffer
    assert np.array_equal(buffer, full)
    router = pr.Router(S.sum(1), T.sum(1), 8, seed=4, select=select)
    assert np.array_equal(np.concatenate([r for _, r in router.chunks(37)]), full)


def test_cli_select_greedy(tmp_path: Path) -> None:
    out = tmp_path / "g.npy"
    result = CliRunner().invoke(app, ["route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "16",
                                      "--seed", "2", "--select", "greedy", "--out", str(out)])
    assert result.exit_code == 0, result.output
    s, _ = io.read_row_degrees(SAMPLES / "S.pbm")
    t, _ = io.read_row_degrees(SAMPLES / "T.pbm")
    assert np.array_equal(np.load(out), pr.route_degrees(s, t, 16, seed=2, select="greedy").routes)
    refused = CliRunner().invoke(app, ["route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "16",
                                       "--select", "greedy", "--workers", "2"])
    assert refused.exit_code == 2 and "cannot be sharded" in refused.stderr


@pytest.mark.parametrize("select", sorted(POLICIES))
def test_with_policy_routes_as_a_fresh_router_and_leaves_the_first_alone(select: str) -> None:
    rng = np.random.default_rng(11)
    s, t = rng.integers(0, 40, 300), rng.integers(0, 200, 60)
    first = pr.Router(s, t, 6, seed=5, row_perm=True)
    before = first.route_rows(0, first.M)
    other = first.with_policy(select)
    fresh = pr.Router(s, t, 6, seed=5, row_perm=True, select=select)
    assert np.array_equal(other.route_rows(0, other.M), fresh.route_rows(0, fresh.M))
    assert other.selection_report == fresh.selection_report
    assert first.policy.name == "random" and np.array_equal(first.route_rows(0, first.M), before)
    with pytest.raises(pr.PhaseRouterError):
        first.with_policy("best")

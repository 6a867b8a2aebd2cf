"""Hashed candidates (candidates="hash"): source i's candidates are the weighted hash router's
min(s_i, P) targets at the seed (P: targets with t_j > 0). What is particular to this source;
every policy on it against its oracle is tests/architecture/test_plugins.py's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import phase_router as pr
from phase_router.baselines import hash_route
from phase_router.cli import app
from phase_router.errors import InvalidInputError
from phase_router.reference.hash_candidates import candidates_from_degrees
from phase_router.routing.selection import POLICIES


@st.composite
def degrees(draw, max_dim: int = 48):
    M, E = draw(st.integers(1, max_dim)), draw(st.integers(1, max_dim))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    s = rng.integers(0, E + 1, M)
    t = rng.integers(0, M + 1, E) * (rng.random(E) < draw(st.sampled_from([0.0, 0.3, 1.0])))
    return s, t, draw(st.integers(1, E + 3)), draw(st.integers(0, 2**64 - 1))


def route(s, t, k, seed, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pr.route_degrees(s, t, k, seed=seed, candidates="hash", **options)


@settings(deadline=None)
@given(degrees())
def test_candidates_are_min_s_p_weighted_targets(case) -> None:
    s, t, _, seed = case
    O = candidates_from_degrees(s, t, seed)
    positive = np.count_nonzero(t)
    assert np.array_equal(O.sum(axis=1), np.minimum(s, positive))
    assert not O[:, t == 0].any()  # a target of weight 0 is never drawn


@settings(deadline=None)
@given(degrees())
def test_keeping_every_candidate_is_the_weighted_hash_router(case) -> None:
    """With k at least every c_i, random selection keeps every candidate: the routes are then
    exactly the weighted hash router's for the counts min(s_i, P)."""
    s, t, _, seed = case
    if not np.count_nonzero(t):
        return
    k = int(max(1, s.max()))
    got = route(s, t, k, seed).routes
    want = hash_route(np.minimum(s, np.count_nonzero(t)), t, k, seed=seed, weighted=True).routes
    assert np.array_equal(got, want)


@settings(deadline=None, max_examples=25)
@given(degrees(), st.sampled_from(sorted(POLICIES)))
def test_threads_and_row_ranges_never_change_the_routes(case, select: str) -> None:
    s, t, k, seed = case
    whole = route(s, t, k, seed, select=select, threads=1).routes
    assert np.array_equal(route(s, t, k, seed, select=select, threads=2).routes, whole)
    M = len(s)
    assert np.array_equal(route(s, t, k, seed, select=select, rows=(M // 3, M)).routes, whole[M // 3:])


def test_route_on_matrices_equals_route_degrees() -> None:
    rng = np.random.default_rng(5)
    S, T = rng.random((30, 20)) < 0.4, rng.random((20, 30)) < 0.6
    got = pr.route(S, T, 4, seed=9, candidates="hash", select="balanced")
    want = route(S.sum(axis=1), T.sum(axis=1), 4, 9, select="balanced")
    assert np.array_equal(got.routes, want.routes)
    assert got.stats.selection["candidates"] == "hash"
    assert got.stats.expected_candidates_per_row == pytest.approx(np.minimum(S.sum(axis=1), 20).mean())


def test_options_of_the_ring_are_refused() -> None:
    s, t = np.full(8, 3), np.full(8, 3)
    for options in ({"row_perm": True}, {"strategy": "dense"}):
        with pytest.raises(InvalidInputError, match="candidates='hash' takes no"):
            pr.route_degrees(s, t, 2, candidates="hash", **options)


def test_a_source_that_needs_matrices_is_refused_by_route_degrees() -> None:
    with pytest.raises(InvalidInputError, match="needs the matrices themselves"):
        pr.route_degrees(np.full(8, 3), np.full(8, 3), 2, candidates="mask")


def test_cli_routes_degree_files_with_hash_candidates(tmp_path) -> None:
    s, t = np.full(64, 16, dtype=np.int64), np.full(64, 16, dtype=np.int64)
    np.save(tmp_path / "s.npy", s)
    np.save(tmp_path / "t.npy", t)
    out = tmp_path / "routes.npy"
    result = CliRunner().invoke(app, ["route", "--degrees", str(tmp_path / "s.npy"), str(tmp_path / "t.npy"), "-k", "4",
                                      "--candidates", "hash", "--select", "balanced", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert np.array_equal(np.load(out), route(s, t, 4, 3, select="balanced").routes)
    refused = CliRunner().invoke(app, ["route", "--degrees", str(tmp_path / "s.npy"), str(tmp_path / "t.npy"), "-k", "4",
                                       "--candidates", "hash", "--row-perm"])
    assert refused.exit_code == 2
    assert "--candidates hash takes no --row-perm" in refused.stderr

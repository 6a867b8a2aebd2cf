"""Routing under a mask (candidates="mask"): the candidates are exactly O_ij = S_ij AND T_ji, every
selection policy runs on them, and the C++ path matches the NumPy reference byte for byte."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

import phase_router as pr
from phase_router.cli import app
from phase_router.reference import greedy as greedy_reference
from phase_router.reference import mask as mask_reference
from phase_router.reference.optimal import select_optimal


@st.composite
def masks(draw, max_dim: int = 40):
    M, E = draw(st.integers(1, max_dim)), draw(st.integers(1, max_dim))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    density_S, density_T = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])), draw(st.sampled_from([0.0, 0.3, 1.0]))
    S, T = rng.random((M, E)) < density_S, rng.random((E, M)) < density_T
    return S, T, draw(st.integers(1, E + 3)), draw(st.integers(0, 2**64 - 1))


def test_identity_mask_gives_each_source_its_only_target() -> None:
    """The issue's example: S = I_8, T all ones, k = 1. The phase construction mixes (it uses row
    sums only); the mask keeps each source's one allowed target, under every policy."""
    S, T = np.eye(8, dtype=bool), np.ones((8, 8), dtype=bool)
    for select in ("random", "greedy", "balanced", "optimal"):
        routes = pr.route(S, T, 1, candidates="mask", select=select).routes
        assert routes.ravel().tolist() == list(range(8)), select


@settings(deadline=None)
@given(masks())
def test_random_matches_the_reference(case) -> None:
    S, T, k, seed = case
    got = pr.route(S, T, k, seed=seed, candidates="mask").routes
    assert np.array_equal(got, mask_reference.route_mask(S, T, k, seed))


@settings(deadline=None)
@given(masks(max_dim=25), st.sampled_from([1, 3]))
def test_greedy_and_optimal_match_their_references(case, block: int) -> None:
    S, T, k, seed = case
    O, t = mask_reference.candidates(S, T), T.sum(axis=1)
    got = pr.route(S, T, k, seed=seed, candidates="mask", select="greedy", select_options={"block": block}).routes
    assert np.array_equal(got, greedy_reference.select_greedy(O, t, k, seed, block))
    got = pr.route(S, T, k, seed=seed, candidates="mask", select="optimal").routes
    assert np.array_equal(got, select_optimal(O, t, k)[0])


@settings(deadline=None)
@given(masks())
def test_only_allowed_pairs_and_full_fill(case) -> None:
    S, T, k, seed = case
    O = mask_reference.candidates(S, T)
    for select in ("random", "greedy", "balanced", "optimal"):
        routes = pr.route(S, T, k, seed=seed, candidates="mask", select=select).routes
        assert np.array_equal(np.count_nonzero(routes >= 0, axis=1), np.minimum(k, O.sum(axis=1)))
        rows, slots = np.nonzero(routes >= 0)
        assert O[rows, routes[rows, slots]].all()


def test_rows_and_chunks_are_slices() -> None:
    rng = np.random.default_rng(5)
    S, T = rng.random((120, 30)) < 0.3, rng.random((30, 120)) < 0.6
    full = pr.route(S, T, 4, seed=2, candidates="mask").routes
    assert np.array_equal(pr.route(S, T, 4, seed=2, candidates="mask", rows=(10, 77)).routes, full[10:77])


def test_cli_candidates_mask(tmp_path: Path) -> None:
    S, T = np.eye(8, dtype=np.uint8), np.ones((8, 8), dtype=np.uint8)
    np.save(tmp_path / "S.npy", S)
    np.save(tmp_path / "T.npy", T)
    out = tmp_path / "r.npy"
    result = CliRunner().invoke(app, ["route", str(tmp_path / "S.npy"), str(tmp_path / "T.npy"), "-k", "1",
                                      "--candidates", "mask", "--select", "optimal", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert np.load(out).ravel().tolist() == list(range(8))
    refused = CliRunner().invoke(app, ["route", str(tmp_path / "S.npy"), str(tmp_path / "T.npy"), "-k", "1",
                                       "--candidates", "mask", "--row-perm"])
    assert refused.exit_code == 2 and "--candidates mask" in refused.stderr


@pytest.mark.parametrize("kwargs", [{"candidates": "nope"}, {"candidates": "mask", "row_perm": True}])
def test_bad_candidates(kwargs) -> None:
    with pytest.raises(pr.InvalidInputError):
        pr.route(np.ones((2, 2)), np.ones((2, 2)), 1, **kwargs)

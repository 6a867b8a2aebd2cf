"""Baseline routers (docs/BASELINES.md): the C++ kernels against the pure-Python definitions
byte for byte, output invariants, and the hash router against balls-into-bins theory."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from phase_router import InvalidInputError, _core
from phase_router.reference import baselines as ref
from phase_router.baselines import default_counts, hash_route, two_choice_route
from phase_router.analysis.metrics import max_over_mean


@st.composite
def baseline_cases(draw):
    M = draw(st.integers(1, 70))
    E = draw(st.integers(1, 70))
    k = draw(st.integers(1, E + 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = draw(st.sampled_from(["ones", "uniform", "sparse", "skewed"]))
    if weights == "ones":
        t = np.ones(E, dtype=np.uint32)
    elif weights == "uniform":
        t = rng.integers(0, M + 1, E).astype(np.uint32)
    elif weights == "sparse":
        t = (rng.random(E) < 0.2).astype(np.uint32) * rng.integers(1, M + 1, E).astype(np.uint32)
    else:  # one heavy target among light ones: long rejection runs if duplicates were redrawn
        t = np.ones(E, dtype=np.uint32)
        t[rng.integers(0, E)] = M
    positive = int(np.count_nonzero(t))
    counts = rng.integers(0, min(k, positive, E) + 1, M).astype(np.uint32)
    seed = draw(st.one_of(st.sampled_from([0, 1, 2**64 - 1]), st.integers(0, 2**64 - 1)))
    return counts, t, k, seed


@given(baseline_cases())
def test_hash_uniform_matches_reference(case) -> None:
    counts, t, k, seed = case
    got = _core.hash_route(counts, t, t.size, k, seed, False, 2)
    assert np.array_equal(got, ref.hash_uniform(counts, t.size, k, seed))


@given(baseline_cases())
def test_hash_weighted_matches_reference(case) -> None:
    counts, t, k, seed = case
    got = _core.hash_route(counts, t, t.size, k, seed, True, 2)
    assert np.array_equal(got, ref.hash_weighted(counts, t, k, seed))


@given(baseline_cases())
def test_two_choice_matches_reference(case) -> None:
    counts, t, k, seed = case
    assert np.array_equal(_core.two_choice_route(counts, t, k, seed), ref.two_choice(counts, t, k, seed))


@pytest.mark.parametrize("router", ["hash", "hash-weighted", "two-choice", "two-choice-weighted"])
def test_output_format_and_counts(router: str) -> None:
    rng = np.random.default_rng(5)
    M, E, k = 300, 97, 12
    s = rng.integers(0, E + 1, M)
    t = rng.integers(0, M + 1, E)
    t[:10] = 0
    weighted = router.endswith("weighted")
    fn = hash_route if router.startswith("hash") else two_choice_route
    routes = fn(s, t, k, seed=9, weighted=weighted).routes
    n = np.count_nonzero(routes >= 0, axis=1)
    assert np.array_equal(n, default_counts(s, t, k, weighted))  # min(k, s_i)
    for row, count in zip(routes, n):
        assert np.all(np.diff(row[:count]) > 0) and np.all(row[count:] == -1)  # ascending, distinct, padded
    if weighted:
        assert not np.isin(routes, np.arange(10)).any()  # t_j = 0: never chosen


def test_threads_never_change_hash_routes() -> None:
    s = np.full(2000, 200)
    t = np.arange(1, 401) * 3
    one = [hash_route(s, t, 50, seed=3, weighted=w, threads=1).routes for w in (False, True)]
    many = [hash_route(s, t, 50, seed=3, weighted=w, threads=4).routes for w in (False, True)]
    assert all(np.array_equal(a, b) for a, b in zip(one, many))


def test_hash_uniform_loads_are_balls_into_bins() -> None:
    """M sources each throw k distinct balls into E bins: each load is Binomial(M, k/E), so over
    seeds the mean is M k / E and the variance M (k/E)(1 - k/E)."""
    M, E, k = 2000, 100, 10
    loads = np.stack([np.bincount(hash_route(np.full(M, E), np.full(E, M), k, seed=seed).routes.ravel(), minlength=E)
                      for seed in range(20)])
    p = k / E
    assert abs(loads.mean() / (M * p) - 1) < 1e-12  # every row routes exactly k
    var = loads.var(axis=0, ddof=1).mean()
    assert abs(var / (M * p * (1 - p)) - 1) < 0.1  # 2000 variance estimates with 19 dof each


def test_hash_uniform_pairs_are_uniform() -> None:
    """Each k-subset is uniform: every target appears in a row with probability k/E (chi-square
    over 20,000 rows, 19 degrees of freedom; 45 is p ~ 0.0006)."""
    E, k = 20, 3
    routes = _core.hash_route(np.full(20000, k, dtype=np.uint32), np.ones(E, dtype=np.uint32), E, k, 11, False, 0)
    observed = np.bincount(routes.ravel(), minlength=E)
    expected = 20000 * k / E
    assert ((observed - expected) ** 2 / expected).sum() < 45


def test_hash_weighted_first_pick_follows_weights() -> None:
    """With one route per source the pick is exactly proportional to t_j."""
    t = np.array([1, 2, 3, 4, 10], dtype=np.uint32)
    routes = _core.hash_route(np.ones(40000, dtype=np.uint32), t, t.size, 1, 4, True, 0)
    freq = np.bincount(routes.ravel(), minlength=t.size) / 40000
    expected = t / t.sum()
    assert np.all(np.abs(freq - expected) < 4 * np.sqrt(expected * (1 - expected) / 40000))


def test_two_choice_beats_hash_on_uniform_targets() -> None:
    """Two choices: max load - mean is O(log log n) against O(sqrt(mean log n)) for one choice."""
    M, E, k = 4096, 512, 8
    s, t = np.full(M, E), np.full(E, M)
    one = max_over_mean(hash_route(s, t, k, seed=1).column_loads)
    two = max_over_mean(two_choice_route(s, t, k, seed=1).column_loads)
    assert two < 1.1 < one  # mean 64: one choice ~ 64 + 3 sqrt(64) = 88; two choices ~ 64 + 3


@pytest.mark.parametrize("bad", [{"counts": np.full(5, 4)}, {"k": 0}, {"seed": -1}, {"counts": np.ones(4)}])
def test_bad_arguments_are_typed_errors(bad) -> None:
    args = {"k": 3, "seed": 0, **bad}
    with pytest.raises(InvalidInputError):
        hash_route(np.full(5, 3), np.ones(3, dtype=int), args.pop("k"), **args)


@pytest.mark.parametrize("weights", ["binomial", "skewed"])
def test_hash_kernels_match_reference_on_wide_rows(weights: str) -> None:
    """Rows dense enough for the bitmap paths (the selection step's vectorised Floyd, the alias
    table) and sparse enough for the sort path, in one call, against the definitions."""
    rng = np.random.default_rng(13)
    E, k = 700, 400
    t = rng.binomial(600, 0.5, E).astype(np.uint32)
    if weights == "skewed":  # one target holds over half the weight: phase 2 of the weighted draw
        t[:] = 1
        t[5] = 5000
    counts = np.array([0, 1, 3, 20, 22, 100, 399, 400, 17, 400], dtype=np.uint32)
    for seed in (0, 7):
        assert np.array_equal(_core.hash_route(counts, t, E, k, seed, False, 2), ref.hash_uniform(counts, E, k, seed))
        assert np.array_equal(_core.hash_route(counts, t, E, k, seed, True, 2), ref.hash_weighted(counts, t, k, seed))


def test_weighted_hash_draws_in_proportion_to_t() -> None:
    """The alias draws with repeats discarded are successive sampling: the first pick of each
    row (one pick per row) lands on target j with probability t_j / sum(t) (chi-square)."""
    from scipy.stats import chisquare
    t = np.array([1, 2, 3, 4, 10, 30, 50], dtype=np.uint32)
    counts = np.ones(40000, dtype=np.uint32)
    routes = _core.hash_route(counts, t, t.size, 1, 3, True, 2)
    observed = np.bincount(routes[:, 0], minlength=t.size)
    assert chisquare(observed, counts.size * t / t.sum()).pvalue > 1e-4


def test_weighted_hash_with_weights_summing_past_2_to_32() -> None:
    """W >= 2^32 takes the two-word alias draws (lemire(E), lemire(W)); W < 2^32 one word.
    Both against the definition, including phase 2 (one target over half the weight)."""
    rng = np.random.default_rng(4)
    counts = rng.integers(0, 9, 30).astype(np.uint32)
    for t in (rng.integers(1 << 28, 1 << 31, 12).astype(np.uint32),
              np.array([4_000_000_000, 5, 7, 1 << 30, 1, 2, 3, 4, 5, 6, 7, 8], dtype=np.uint32)):
        assert int(t.sum()) >= 1 << 32
        for seed in (0, 11):
            got = _core.hash_route(counts, t, t.size, 8, seed, True, 2)
            assert np.array_equal(got, ref.hash_weighted(counts, t, 8, seed))

"""Statistics against docs/SPEC.md's theory, averaged over seeds. Seeds are fixed, so each test
has one deterministic outcome; the tolerances are several standard errors wide."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from phase_router import _core, route_degrees


def all_candidates(s: np.ndarray, t: np.ndarray, seed: int) -> np.ndarray:
    """With k = E nothing is dropped, so the routes are exactly the candidate sets."""
    return route_degrees(s, t, t.size, seed=seed).routes


def test_mean_candidates_per_row_matches_theory_at_n1024() -> None:
    N = 1024
    rng = np.random.default_rng(0)
    s = rng.binomial(N, 0.5, N)
    t = rng.binomial(N, 0.5, N)
    theory = s * t.sum() / (N * N)  # E|C_i| = s_i * sum(t) / (M * E)
    counts = np.stack([np.count_nonzero(all_candidates(s, t, seed) >= 0, axis=1) for seed in range(8)])
    assert abs(counts.mean() / theory.mean() - 1) < 0.02


def test_candidates_follow_each_rows_degree() -> None:
    M, E = 600, 500
    rng = np.random.default_rng(1)
    s = rng.integers(0, E + 1, M)  # very different rows
    t = rng.integers(0, M + 1, E)
    theory = s * t.sum() / (M * E)
    mean_counts = np.mean(
        [np.count_nonzero(all_candidates(s, t, seed) >= 0, axis=1) for seed in range(30)], axis=0
    )
    for lo, hi in [(50, 150), (150, 300), (300, 500)]:
        rows = (s >= lo) & (s < hi)
        assert abs(mean_counts[rows].mean() / theory[rows].mean() - 1) < 0.03, (lo, hi)


def test_expected_column_load_is_s_i_t_j_over_m_e() -> None:
    """E[O_ij] = s_i t_j / (M E), so with no cap E[c_j] = t_j * sum(s) / (M E)."""
    M, E = 800, 600
    rng = np.random.default_rng(2)
    s = rng.binomial(E, 0.5, M)
    t = rng.choice(np.array([M // 8, M // 2, M]), E)
    loads = np.mean([np.bincount(all_candidates(s, t, seed).ravel() + 1, minlength=E + 1)[1:]
                     for seed in range(10)], axis=0)
    theory = t * s.sum() / (M * E)
    for level in np.unique(t):
        group = t == level
        assert abs(loads[group].mean() / theory[group].mean() - 1) < 0.03, level


def chi_square(observed: np.ndarray, expected: np.ndarray) -> float:
    return float(((observed - expected) ** 2 / expected).sum())


def test_floyd_subsets_are_uniform() -> None:
    # All C(5, 2) = 10 subsets equally likely; 9 degrees of freedom, p = 1e-4 critical value 33.7.
    subsets = {pair: 0 for pair in itertools.combinations(range(5), 2)}
    for key in range(20_000):
        subsets[tuple(int(x) for x in _core.sample_ranks(key, 5, 2))] += 1
    observed = np.array(list(subsets.values()), dtype=float)
    assert chi_square(observed, np.full(10, 2000.0)) < 33.7


@pytest.mark.parametrize("k", [3, 7])  # 3: kept ranks drawn; 7 > 10/2: dropped ranks drawn
def test_kernel_keeps_each_candidate_equally_often(k: int) -> None:
    """One source whose 10 candidates are all targets: each is kept with probability k/10.
    The 10,000 routings call the kernel itself (_core.route_degrees, what route_degrees runs):
    the API around it adds a millisecond of checks and statistics per call, a minute in all. The
    first seeds check that the API's routes are the kernel's."""
    hits = np.zeros(10)
    seeds = 10_000
    s, t = np.array([10], dtype=np.int64), np.ones(10, dtype=np.int64)
    for seed in range(seeds):
        routes = _core.route_degrees(s, t, k, seed, False)[0]
        if seed < 200:
            assert np.array_equal(route_degrees([10], np.ones(10, dtype=int), k, seed=seed).routes[0], routes)
        assert np.all(routes >= 0) and np.all(np.diff(routes) > 0)
        hits[routes] += 1
    # Inclusion counts are not independent cells, but a 9-dof bound at p = 1e-4 is still generous.
    assert chi_square(hits, np.full(10, seeds * k / 10)) < 33.7


def test_permutation_positions_are_uniform() -> None:
    # Where index 0 lands in a permutation of 8 over 8000 keys: 7 dof, p = 1e-4 critical value 29.9.
    positions = np.array([int(np.argmax(_core.keyed_permutation(key, 8) == 0)) for key in range(8000)])
    assert chi_square(np.bincount(positions, minlength=8).astype(float), np.full(8, 1000.0)) < 29.9

"""The original system's hash router (baselines/hash_original.py): its NumPy kernel equals the
row-by-row definition, it keeps min(k, c_i) of S[i] AND T[i], and the kept subset is uniform."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router.baselines.hash_original import hash_route_original, hash_route_original_reference
from phase_router.errors import InvalidInputError, ShapeMismatchError
from phase_router.inputs import realise


@pytest.mark.parametrize("N,k,seed", [(1, 1, 0), (7, 3, 1), (64, 8, 2), (130, 40, 2**64 - 1)])
def test_equals_the_definition(N: int, k: int, seed: int) -> None:
    S, T = realise("uniform", N, N, k=k, seed=seed % 1000, density=0.6).matrices()
    assert np.array_equal(hash_route_original(S, T, k, seed=seed), hash_route_original_reference(S, T, k, seed=seed))


def test_keeps_min_k_c_of_s_and_t() -> None:
    S, T = realise("uniform-1-k", 256, 256, k=64, seed=3).matrices()
    routes = hash_route_original(S, T, 16, seed=5)
    c = (S & T).sum(axis=1)
    assert np.array_equal((routes >= 0).sum(axis=1), np.minimum(c, 16))
    for i in range(256):
        kept = routes[i][routes[i] >= 0]
        assert np.all(np.diff(kept) > 0) and np.all(S[i, kept] & T[i, kept])


def test_subset_is_uniform() -> None:
    """One row with 6 candidates, k = 2: each of the 15 pairs equally often over 3000 seeds
    (chi-square, 14 degrees of freedom, 0.1 % critical value 36.1)."""
    S = np.zeros((8, 8), dtype=bool)
    T = np.zeros((8, 8), dtype=bool)
    S[0, :6] = T[0, :6] = True
    counts: dict[tuple, int] = {}
    for seed in range(3000):
        pair = tuple(hash_route_original(S, T, 2, seed=seed)[0])
        counts[pair] = counts.get(pair, 0) + 1
    assert len(counts) == 15
    expected = 3000 / 15
    assert sum((n - expected) ** 2 / expected for n in counts.values()) < 36.1


def test_bad_inputs() -> None:
    with pytest.raises(ShapeMismatchError):
        hash_route_original(np.ones((4, 5), bool), np.ones((4, 5), bool), 2)
    with pytest.raises(InvalidInputError):
        hash_route_original(np.full((4, 4), 2), np.ones((4, 4), int), 2)
    with pytest.raises(InvalidInputError):
        hash_route_original(np.ones((4, 4), bool), np.ones((4, 4), bool), 0)

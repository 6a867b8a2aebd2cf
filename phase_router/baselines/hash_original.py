"""The hash router of the original system (TSltd/bitpacked_phase_router), redefined portably:
source i takes k random targets among
S[i] AND T[i] of the raw square matrices (no alignment, rotation or transpose: T's row i is
read as if it were a mask over source i's targets). It is the baseline the original's stress test
compared against, kept here so that comparison can be rerun as it was; docs/BASELINES.md says why
it is not a like-for-like comparator (it reads the matrices' patterns, the phase router only
their row sums).

Definition (docs/BASELINES.md, "The original's hash router"): with key K_12 (seed domain hash_original),
row i keeps the min(k, c_i) candidates j with the smallest splitmix(K_12, i * N + j), listed
ascending and padded with -1. The keys are distinct (SplitMix64 is a bijection), so this is a
uniformly random min(k, c_i)-subset of the candidates whatever sort computes it. The original
used ``np.random.default_rng(seed).shuffle``; that stream is NumPy's, so the same seed does not
give the same bits here — the distribution (a uniform k-subset) is the same.
"""

from __future__ import annotations

import numpy as np

from .._internal import random as rnd
from .._internal.seed_domains import DOMAIN_HASH_ORIGINAL
from ..errors import InvalidInputError, ShapeMismatchError

ROW_BLOCK_ENTRIES = 1 << 24  # matrix entries per block of rows, to bound the temporaries


def _as_bool_matrix(X, name: str) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2 or X.size == 0:
        raise InvalidInputError(f"{name} must be a non-empty 2-D 0/1 matrix, got shape {X.shape}")
    if X.dtype != bool:
        if not (np.issubdtype(X.dtype, np.integer) or np.issubdtype(X.dtype, np.floating)) or np.any((X != 0) & (X != 1)):
            raise InvalidInputError(f"{name} must hold only 0 and 1 (got dtype {X.dtype})")
        X = X != 0
    return X


def hash_route_original(S, T, k: int, *, seed: int = 0) -> np.ndarray:
    """Routes (N x k int32, ascending, -1 padded): row i keeps min(k, c_i) of the candidates
    {j : S[i, j] and T[i, j]}, those with the smallest keyed hashes. S and T are N x N."""
    S = _as_bool_matrix(S, "S")
    T = _as_bool_matrix(T, "T")
    if S.shape != T.shape or S.shape[0] != S.shape[1]:
        raise ShapeMismatchError(f"the original's hash router needs square S and T of one shape, got {S.shape} and {T.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidInputError(f"k must be a positive integer, got {k!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
        raise InvalidInputError(f"seed must be an integer in [0, 2^64), got {seed!r}")
    N, k = S.shape[0], int(k)
    key = rnd.domain_key(int(seed), DOMAIN_HASH_ORIGINAL)
    routes = np.full((N, k), -1, dtype=np.int32)
    step = max(1, ROW_BLOCK_ENTRIES // N)
    for first in range(0, N, step):
        last = min(N, first + step)
        rows, cols = np.nonzero(S[first:last] & T[first:last])  # row-major: each row's candidates ascending
        keys = rnd.splitmix_array(key, (rows + first).astype(np.uint64) * np.uint64(N) + cols.astype(np.uint64))
        bounds = np.searchsorted(rows, np.arange(last - first + 1))
        for r in range(last - first):
            lo, hi = bounds[r], bounds[r + 1]
            if hi - lo <= k:
                routes[first + r, : hi - lo] = cols[lo:hi]
            else:
                picked = cols[lo:hi][np.argpartition(keys[lo:hi], k - 1)[:k]]
                routes[first + r] = np.sort(picked)
    return routes


def hash_route_original_reference(S, T, k: int, *, seed: int = 0) -> np.ndarray:
    """The definition row by row in plain Python ints (slow, for the tests)."""
    S, T = np.asarray(S, dtype=bool), np.asarray(T, dtype=bool)
    N = S.shape[0]
    key = rnd.domain_key(int(seed), DOMAIN_HASH_ORIGINAL)
    routes = np.full((N, k), -1, dtype=np.int32)
    for i in range(N):
        candidates = [j for j in range(N) if S[i, j] and T[i, j]]
        kept = sorted(sorted(candidates, key=lambda j: rnd.splitmix(key, i * N + j))[:k])
        routes[i, : len(kept)] = kept
    return routes

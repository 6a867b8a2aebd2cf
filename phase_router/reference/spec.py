"""The oracle: docs/SPEC.md followed literally on full matrices, in pure NumPy.

Slow and memory-hungry by design (several M x E boolean matrices): it exists so that every fast
path can be checked against the spec's own pipeline, and so that `dump-pbm` can show each stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._internal import random as rnd
from .._internal.seed_domains import DOMAIN_COLUMNS_S, DOMAIN_COLUMNS_T, DOMAIN_LAY_ORDER_S, DOMAIN_LAY_ORDER_T, DOMAIN_SELECT


@dataclass(frozen=True)
class Stages:
    """Every intermediate of the pipeline. S-side matrices are M x E, T-side E x M."""

    S_aligned: np.ndarray
    T_aligned: np.ndarray
    S_rotated: np.ndarray
    T_rotated: np.ndarray
    S_shuffled: np.ndarray
    T_shuffled: np.ndarray
    T_transposed: np.ndarray  # M x E
    candidates: np.ndarray  # O = S_shuffled AND T_transposed, M x E
    routes: np.ndarray  # M x k int32, -1 padded
    phase_S: np.ndarray  # phi_i, length M
    phase_T: np.ndarray  # psi_j, length E
    columns_S: np.ndarray  # pi_S: shuffled column c holds rotated column columns_S[c]
    columns_T: np.ndarray  # pi_T
    lay_order_S: np.ndarray  # rows in the order their arcs are laid on the ring
    lay_order_T: np.ndarray


def left_align(matrix: np.ndarray) -> np.ndarray:
    """Step 1: each row's ones moved to its first columns; row sums kept."""
    degrees = np.count_nonzero(matrix, axis=1)
    return np.arange(matrix.shape[1])[None, :] < degrees[:, None]


def rotate_rows(aligned: np.ndarray, lay_order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Steps 2-3: lay the rows in `lay_order` on the ring (ring size = number of columns); each
    row is rotated right by the cumulative degree of the rows laid before it. Rows keep their ids."""
    ring = aligned.shape[1]
    laid = aligned[lay_order]
    degrees = np.count_nonzero(laid, axis=1).astype(np.int64)
    laid_offsets = (np.cumsum(degrees) - degrees) % ring
    source_column = (np.arange(ring)[None, :] - laid_offsets[:, None]) % ring
    rotated = np.empty_like(aligned)
    rotated[lay_order] = np.take_along_axis(laid, source_column, axis=1)
    offsets = np.empty_like(laid_offsets)
    offsets[lay_order] = laid_offsets
    return rotated, offsets


def shuffle_columns(matrix: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Step 4: shuffled column c holds column perm[c]."""
    return matrix[:, perm]


def select_routes(candidates: np.ndarray, k: int, seed: int, first_row: int = 0) -> np.ndarray:
    """Step 7: at most k candidates per row, a uniformly random k-subset of candidate ranks.
    first_row: the routing's id of the first row given (a row range draws what the whole
    routing draws for those rows)."""
    M = candidates.shape[0]
    routes = np.full((M, k), -1, dtype=np.int32)
    select_key = rnd.domain_key(seed, DOMAIN_SELECT)
    for i in range(M):
        targets = np.flatnonzero(candidates[i])
        c = targets.size
        if c > k:
            dropped = c - k
            row_key = rnd.splitmix(select_key, first_row + i)
            if k <= dropped:
                kept = rnd.floyd_sample(row_key, c, k)
            else:
                kept = np.setdiff1d(np.arange(c), rnd.floyd_sample(row_key, c, dropped))
            targets = targets[np.asarray(kept, dtype=np.int64)]
        routes[i, : targets.size] = targets
    return routes


def pipeline(S: np.ndarray, T: np.ndarray, k: int, seed: int = 0, row_perm: bool = False) -> Stages:
    """Run the whole spec on binary matrices S (M x E) and T (E x M)."""
    S = np.asarray(S).astype(bool)
    T = np.asarray(T).astype(bool)
    M, E = S.shape
    if T.shape != (E, M):
        raise ValueError(f"T must be {E}x{M} for S of shape {M}x{E}, got {T.shape}")
    key = lambda domain: rnd.domain_key(seed, domain)  # noqa: E731

    S_aligned, T_aligned = left_align(S), left_align(T)
    lay_S = rnd.keyed_permutation(key(DOMAIN_LAY_ORDER_S), M) if row_perm else np.arange(M)
    lay_T = rnd.keyed_permutation(key(DOMAIN_LAY_ORDER_T), E) if row_perm else np.arange(E)
    S_rotated, phase_S = rotate_rows(S_aligned, lay_S)
    T_rotated, phase_T = rotate_rows(T_aligned, lay_T)
    columns_S = rnd.keyed_permutation(key(DOMAIN_COLUMNS_S), E)
    columns_T = rnd.keyed_permutation(key(DOMAIN_COLUMNS_T), M)
    S_shuffled = shuffle_columns(S_rotated, columns_S)
    T_shuffled = shuffle_columns(T_rotated, columns_T)
    T_transposed = T_shuffled.T
    candidates = S_shuffled & T_transposed
    routes = select_routes(candidates, k, seed)
    return Stages(
        S_aligned, T_aligned, S_rotated, T_rotated, S_shuffled, T_shuffled, T_transposed,
        candidates, routes, phase_S, phase_T, columns_S, columns_T, lay_S, lay_T,
    )


def matrices_from_degrees(s: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Left-aligned S (M x E) and T (E x M) with the given row sums."""
    s = np.asarray(s, dtype=np.int64)
    t = np.asarray(t, dtype=np.int64)
    M, E = s.size, t.size
    return np.arange(E)[None, :] < s[:, None], np.arange(M)[None, :] < t[:, None]


def route(S: np.ndarray, T: np.ndarray, k: int, seed: int = 0, row_perm: bool = False) -> np.ndarray:
    """Routes (M x k int32) of the spec, from matrices."""
    return pipeline(S, T, k, seed, row_perm).routes


def route_degrees(s, t, k: int, seed: int = 0, row_perm: bool = False) -> np.ndarray:
    """Routes of the spec from degree vectors (step 1's output depends only on them)."""
    S, T = matrices_from_degrees(s, t)
    return route(S, T, k, seed, row_perm)

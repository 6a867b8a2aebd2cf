"""Sweep inputs as DEGREE vectors: the routing depends only on row sums (docs/SPEC.md), so no
generator builds a matrix except `uniform`, whose degrees are counts of Bernoulli bits.

Every generator is a pure function of (M, E, k, key_S, key_T, params), drawing only from
SplitMix64 (phase_router._random), never from NumPy's generators, so a cell's input is the same
on every machine and in every executor. The issue-4 module phase_router.generators may later
provide these kinds for `phase-router gen`; this registry can then delegate to it, as long as the
degrees stay the same (tests/test_sweep_config.py pins them against samples/).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._internal import random as rnd
from ..errors import InvalidInputError

# Seed sub-keys for a cell's inputs; 0..4 are the router's own domains (docs/SPEC.md).
DOMAIN_INPUT_S = 16
DOMAIN_INPUT_T = 17

# `uniform` draws one 64-bit word per matrix entry; beyond this many entries it would take
# minutes, so configs asking for more are refused when they are loaded.
UNIFORM_MAX_ENTRIES = 2**28
_CHUNK = 2**22  # entries per vectorised block, to bound the temporary arrays

Degrees = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Generator:
    function: Callable[..., Degrees]
    uses_k: bool  # the degrees depend on the cell's k (then k is part of the input's identity)
    summary: str


def input_keys(seed: int) -> tuple[int, int]:
    return rnd.domain_key(seed, DOMAIN_INPUT_S), rnd.domain_key(seed, DOMAIN_INPUT_T)


def _mix64_array(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def bounded_draws(key: int, count: int, bound: int) -> np.ndarray:
    """Entry i = DrawStream(splitmix(key, i)).bounded(bound): Lemire's method on each entry's own
    stream, vectorised for the first draw; the rare rejected entries replay their stream exactly."""
    if not 1 <= bound < 2**32:
        raise InvalidInputError(f"bound must be in [1, 2^32), got {bound}")
    row_keys = rnd.splitmix_array(key, np.arange(count, dtype=np.uint64))
    with np.errstate(over="ignore"):
        first = _mix64_array(row_keys + np.uint64(rnd.GOLDEN))
    m = (first >> np.uint64(32)) * np.uint64(bound)
    result = (m >> np.uint64(32)).astype(np.int64)
    threshold = ((1 << 32) - bound) % bound
    for i in np.flatnonzero((m & np.uint64(0xFFFFFFFF)) < np.uint64(threshold)):
        result[i] = rnd.DrawStream(int(row_keys[i])).bounded(bound)
    return result


def uniform_bernoulli_degrees(key: int, rows: int, cols: int, density: float) -> np.ndarray:
    """Ones per row of the matrix whose entry (r, c) is 1 iff (splitmix(key, r*cols + c) >> 11)
    / 2^53 < density: the rule samples/make_samples.py uses, computed in integers."""
    threshold = np.uint64(min(2**53, math.ceil(density * 2**53)))  # density * 2^53 is exact
    degrees = np.empty(rows, dtype=np.uint32)
    step = max(1, _CHUNK // cols)
    for first in range(0, rows, step):
        last = min(rows, first + step)
        n = np.arange(first * cols, last * cols, dtype=np.uint64)
        bits = (rnd.splitmix_array(key, n) >> np.uint64(11)) < threshold
        degrees[first:last] = np.count_nonzero(bits.reshape(last - first, cols), axis=1)
    return degrees


def _uniform(M, E, k, key_S, key_T, density: float) -> Degrees:
    return uniform_bernoulli_degrees(key_S, M, E, density), uniform_bernoulli_degrees(key_T, E, M, density)


def _uniform_1_to_k(M, E, k, key_S, key_T) -> Degrees:
    """The original evaluation's inputs: each row's count uniform in 1..k (capped at the row width)."""
    s = 1 + bounded_draws(key_S, M, min(k, E))
    t = 1 + bounded_draws(key_T, E, min(k, M))
    return s.astype(np.uint32), t.astype(np.uint32)


def _exactly_k(M, E, k, key_S, key_T) -> Degrees:
    return np.full(M, min(k, E), dtype=np.uint32), np.full(E, min(k, M), dtype=np.uint32)


def band_degrees(rows: int, cols: int, width: int) -> np.ndarray:
    """Row r holds ones in [b_r, b_r + w_r) clipped at the edge, b_r = floor(r*cols/rows) and
    w_r = 1 + (r mod width): contiguous bands along the diagonal."""
    r = np.arange(rows, dtype=np.int64)
    start = (r * cols) // rows
    return np.minimum(1 + r % width, cols - start).astype(np.uint32)


def _bands(M, E, k, key_S, key_T, width: int) -> Degrees:
    """S: bands down the diagonal; T: the same bands in reverse row order (as samples/bands_T.pbm),
    so long source arcs meet short target arcs."""
    return band_degrees(M, E, width), band_degrees(E, M, width)[::-1].copy()


def _bimodal(M, E, k, key_S, key_T, high_fraction: float) -> Degrees:
    """Each row is light (1) or heavy (half the row) by a keyed coin with P(heavy) = high_fraction."""
    def side(key: int, rows: int, cols: int) -> np.ndarray:
        threshold = np.uint64(min(2**53, math.ceil(high_fraction * 2**53)))
        heavy = (rnd.splitmix_array(key, np.arange(rows, dtype=np.uint64)) >> np.uint64(11)) < threshold
        return np.where(heavy, max(1, cols // 2), 1).astype(np.uint32)
    return side(key_S, M, E), side(key_T, E, M)


def _moe(M, E, k, key_S, key_T, capacity_factor: float) -> Degrees:
    """Tokens x experts: every token may go to every expert (s_i = E); each expert accepts
    ceil(capacity_factor * k * M / E) tokens (t_j, capped at M), as in an MoE capacity limit."""
    capacity = min(M, math.ceil(capacity_factor * k * M / E))
    return np.full(M, E, dtype=np.uint32), np.full(E, capacity, dtype=np.uint32)


GENERATORS: dict[str, Generator] = {
    "uniform": Generator(_uniform, False, "every entry 1 with probability density (Bernoulli bits)"),
    "uniform_1_to_k": Generator(_uniform_1_to_k, True, "row counts uniform in 1..k (the original evaluation)"),
    "exactly_k": Generator(_exactly_k, True, "every row has min(k, width) ones"),
    "bands": Generator(_bands, False, "contiguous diagonal bands of width 1..width"),
    "bimodal": Generator(_bimodal, False, "rows of 1 or width/2 ones"),
    "moe": Generator(_moe, True, "MoE: s_i = E, t_j = ceil(capacity_factor * k * M / E)"),
}


def generate(kind: str, M: int, E: int, k: int, seed: int, params: dict) -> Degrees:
    """Degrees (s, t) of a generated input for one cell."""
    key_S, key_T = input_keys(seed)
    return GENERATORS[kind].function(M, E, k, key_S, key_T, **params)

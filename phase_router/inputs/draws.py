"""Portable draws for input generators: every number is SplitMix64 (phase_router._internal.random)
keyed by the seed and a domain, computed in integers, never NumPy's generators or floating-point
rounding, so a generated input is the same on every machine, NumPy version and executor.

Keys: K_16 / K_17 give the degrees of S / T (sweep cells have always used these), K_18 / K_19
place each row's ones in the matrix files `gen` writes (only degrees reach the router).
"""

from __future__ import annotations

import math

import numpy as np

from .._internal import random as rnd
from .._internal.seed_domains import DOMAIN_INPUT_S, DOMAIN_INPUT_T, DOMAIN_PLACE_S, DOMAIN_PLACE_T
from ..errors import InvalidInputError

CHUNK_ENTRIES = 2**22  # entries per vectorised block, to bound temporary arrays


def input_keys(seed: int) -> tuple[int, int]:
    return rnd.domain_key(seed, DOMAIN_INPUT_S), rnd.domain_key(seed, DOMAIN_INPUT_T)


def place_keys(seed: int) -> tuple[int, int]:
    return rnd.domain_key(seed, DOMAIN_PLACE_S), rnd.domain_key(seed, DOMAIN_PLACE_T)


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


def _threshold(probability: float) -> np.uint64:
    """x / 2^53 < p for a 53-bit integer x, computed as x < ceil(p * 2^53) (p * 2^53 is exact)."""
    return np.uint64(min(2**53, math.ceil(probability * 2**53)))


def bernoulli_rows(key: int, first: int, last: int, cols: int, probability: float) -> np.ndarray:
    """Rows [first, last) of the matrix whose entry (r, c) is 1 iff (splitmix(key, r*cols + c) >> 11)
    / 2^53 < probability (the rule samples/make_samples.py uses), as bool. Computed in C++
    (core_cpp/inputs/bernoulli_bits), the same integers as bernoulli_rows_numpy."""
    from .. import _core

    bits = _core.bernoulli_bits(key, first * cols, (last - first) * cols, int(_threshold(probability)))
    return bits.reshape(last - first, cols)


def bernoulli_rows_numpy(key: int, first: int, last: int, cols: int, probability: float) -> np.ndarray:
    """bernoulli_rows in NumPy: the formula as written, the oracle for the C++ bits."""
    n = np.arange(first * cols, last * cols, dtype=np.uint64)
    return ((rnd.splitmix_array(key, n) >> np.uint64(11)) < _threshold(probability)).reshape(last - first, cols)


def bernoulli_degrees(key: int, rows: int, cols: int, probability: float) -> np.ndarray:
    """Ones per row of the bernoulli_rows matrix, in bounded blocks (counted by the C++ row pass;
    NumPy's count_nonzero(axis=1) is several times slower on short rows)."""
    from .. import _core

    degrees = np.empty(rows, dtype=np.uint32)
    step = max(1, CHUNK_ENTRIES // cols)
    for first in range(0, rows, step):
        last = min(rows, first + step)
        degrees[first:last] = _core.dense_row_degrees(bernoulli_rows(key, first, last, cols, probability), 0)[0]
    return degrees


def coins(key: int, count: int, probability: float) -> np.ndarray:
    """count keyed coins: entry i is heads iff (splitmix(key, i) >> 11) / 2^53 < probability."""
    return (rnd.splitmix_array(key, np.arange(count, dtype=np.uint64)) >> np.uint64(11)) < _threshold(probability)


def placed_rows(key: int, degrees: np.ndarray, first: int, cols: int) -> np.ndarray:
    """Rows first.. of a matrix whose row r holds degrees[r - first] ones at the columns with the
    smallest keys splitmix(key, r*cols + c) (distinct within a row)."""
    rows = degrees.size
    n = np.arange(first * cols, (first + rows) * cols, dtype=np.uint64)
    keys = rnd.splitmix_array(key, n).reshape(rows, cols)
    # A row's keys are distinct (SplitMix64 is a bijection and every n differs), so "among the
    # d smallest keys" is "key <= the d-th smallest": one sort instead of ranking twice.
    d = np.asarray(degrees, dtype=np.int64)
    kth = np.sort(keys, axis=1)[np.arange(rows), np.clip(d - 1, 0, max(0, cols - 1))] if cols else keys[:, :0]
    return (keys <= kth[:, None]) & (d > 0)[:, None]

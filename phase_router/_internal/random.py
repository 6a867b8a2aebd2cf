"""Portable randomness, bit for bit the same as core_cpp/common/splitmix.hpp (docs/SPEC.md).

Everything is uint64 arithmetic with wrap-around. Array versions serve the permutations; the
Python-int versions serve the per-row selection of the reference pipeline.
"""

from __future__ import annotations

import numpy as np

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB


def mix64(z: int) -> int:
    """SplitMix64 finaliser on a Python int in [0, 2**64)."""
    z = ((z ^ (z >> 30)) * _MIX1) & MASK64
    z = ((z ^ (z >> 27)) * _MIX2) & MASK64
    return z ^ (z >> 31)


def splitmix(key: int, n: int) -> int:
    """The n-th output (n = 0, 1, ...) of SplitMix64 started from state ``key``."""
    return mix64((key + (n + 1) * GOLDEN) & MASK64)


def domain_key(seed: int, domain: int) -> int:
    return splitmix(seed, domain)


def splitmix_array(key: int, n: np.ndarray) -> np.ndarray:
    """splitmix(key, n) for every element of the uint64 array n."""
    with np.errstate(over="ignore"):
        z = np.uint64(key) + (n.astype(np.uint64) + np.uint64(1)) * np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
        return z ^ (z >> np.uint64(31))


def keyed_permutation(key: int, n: int) -> np.ndarray:
    """perm[r] = the index in [0, n) whose key splitmix(key, index) is the r-th smallest.

    The keys are distinct (SplitMix64 is a bijection), so any correct sort gives this order.
    """
    keys = splitmix_array(key, np.arange(n, dtype=np.uint64))
    return np.argsort(keys, kind="stable").astype(np.int64)


class DrawStream:
    """32-bit draws for one source row: draw 2m is the high half of splitmix(row_key, m), draw
    2m+1 its low half."""

    def __init__(self, row_key: int) -> None:
        self._key = row_key
        self._counter = 0
        self._low: int | None = None

    def next(self) -> int:
        if self._low is not None:
            low, self._low = self._low, None
            return low
        word = splitmix(self._key, self._counter)
        self._counter += 1
        self._low = word & 0xFFFFFFFF
        return word >> 32

    def bounded(self, bound: int) -> int:
        """Uniform integer in [0, bound), 1 <= bound < 2**32, by Lemire's multiply-and-reject."""
        m = self.next() * bound
        low = m & 0xFFFFFFFF
        if low < bound:
            threshold = ((1 << 32) - bound) % bound
            while low < threshold:
                m = self.next() * bound
                low = m & 0xFFFFFFFF
        return m >> 32


def floyd_sample(row_key: int, n: int, count: int) -> list[int]:
    """Floyd's algorithm: a uniformly random ``count``-subset of range(n), ascending."""
    stream = DrawStream(row_key)
    chosen: set[int] = set()
    for j in range(n - count, n):
        v = stream.bounded(j + 1)
        chosen.add(j if v in chosen else v)
    return sorted(chosen)

"""Input generators (``phase-router gen``): pairs of 0/1 matrices S (M x E) and T (E x M) for
the scenarios of the original system's evaluation and the structured cases the phase mixing is
meant to handle. Randomness comes from SplitMix64 (phase_router._random), keyed by the seed and a
per-use stream number >= 100 so it never shares a stream with a routing, so every machine and
NumPy version gives the same matrices. Only row sums matter to the router (SPEC step 1), but the
files hold whole matrices so other tools can read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._internal import random as rnd
from ..errors import InvalidInputError

_FIRST_STREAM = 100


class _Bits:
    """Uniform doubles in [0, 1) and integers from consecutive SplitMix64 streams of one seed."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._stream = _FIRST_STREAM

    def _key(self) -> int:
        self._stream += 1
        return rnd.splitmix(self._seed, self._stream)

    def uniform(self, shape) -> np.ndarray:
        n = int(np.prod(shape))
        words = rnd.splitmix_array(self._key(), np.arange(n, dtype=np.uint64))
        return ((words >> np.uint64(11)).astype(np.float64) * 2.0**-53).reshape(shape)

    def integers(self, low: int, high: int, size: int) -> np.ndarray:
        """Integers in [low, high], uniform up to float rounding (fine for generating inputs)."""
        return low + np.floor(self.uniform(size) * (high - low + 1)).astype(np.int64)

    def permutation(self, n: int) -> np.ndarray:
        return rnd.keyed_permutation(self._key(), n)


@dataclass(frozen=True)
class Params:
    M: int
    E: int
    k: int
    density: float
    seed: int


def _rows_with_degrees(degrees: np.ndarray, width: int, bits: _Bits) -> np.ndarray:
    """Each row i gets degrees[i] ones at random columns (a random key order per row)."""
    keys = bits.uniform((degrees.size, width))
    ranks = np.argsort(np.argsort(keys, axis=1, kind="stable"), axis=1, kind="stable")
    return ranks < np.asarray(degrees)[:, None]


def _bands(rows: int, width: int, max_width: int, bits: _Bits) -> np.ndarray:
    """Each row: one contiguous band of width 1..max_width at a random start (wrapping)."""
    widths = bits.integers(1, max(1, min(max_width, width)), rows)
    starts = bits.integers(0, width - 1, rows)
    return (np.arange(width)[None, :] - starts[:, None]) % width < widths[:, None]


def _pair(p: Params, make: Callable[[int, int, _Bits], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    bits = _Bits(p.seed)
    return make(p.M, p.E, bits), make(p.E, p.M, bits)


def uniform(p):
    return _pair(p, lambda r, w, b: b.uniform((r, w)) < p.density)


def exact_k(p):
    """Every row of S has exactly min(k, E) ones; T has density `density`."""
    bits = _Bits(p.seed)
    return _rows_with_degrees(np.full(p.M, min(p.k, p.E)), p.E, bits), bits.uniform((p.E, p.M)) < p.density


def uniform_1_to_k(p):
    """Row counts uniform in 1..k on both sides: the original system's evaluation inputs."""
    return _pair(p, lambda r, w, b: _rows_with_degrees(b.integers(1, min(p.k, w), r), w, b))


def bands(p):
    return _pair(p, lambda r, w, b: _bands(r, w, max(1, w // 8), b))


def block_diagonal(p, blocks: int = 8):
    """S_ij = 1 iff i and j fall in the same of `blocks` equal blocks (T likewise)."""
    def make(r, w, _):
        return (np.arange(r)[:, None] * blocks // r) == (np.arange(w)[None, :] * blocks // w)
    return _pair(p, make)


def diagonal(p):
    return _pair(p, lambda r, w, _: (np.arange(r)[:, None] % w) == np.arange(w)[None, :])


def checkerboard(p):
    return _pair(p, lambda r, w, _: (np.arange(r)[:, None] + np.arange(w)[None, :]) % 2 == 0)


def boundary(p):
    """Ones in the last k columns of every row: the arcs meet at the ring boundary."""
    return _pair(p, lambda r, w, _: np.arange(w)[None, :].repeat(r, 0) >= w - min(p.k, w))


def bimodal(p):
    """Row degrees 1 or half the width, half the rows each."""
    def make(r, w, b):
        return _rows_with_degrees(np.where(b.uniform(r) < 0.5, 1, max(1, w // 2)), w, b)
    return _pair(p, make)


def power_law(p, alpha: float = 1.0):
    """Row degrees max(1, width / rank^alpha) over a random order of the rows (Zipf-like)."""
    def make(r, w, b):
        degrees = np.maximum(1, (w / np.arange(1, r + 1) ** alpha).astype(np.int64))
        return _rows_with_degrees(degrees[b.permutation(r)], w, b)
    return _pair(p, make)


def empty_full(p):
    """Every row either empty or full, half each."""
    def make(r, w, b):
        return np.repeat((b.uniform(r) < 0.5)[:, None], w, axis=1)
    return _pair(p, make)


def moe(p):
    """Mixture of Experts: M tokens, E experts, any token may go to any expert."""
    return np.ones((p.M, p.E), dtype=bool), np.ones((p.E, p.M), dtype=bool)


def adversarial(p):
    """The original's two-phase construction: route uniform inputs once (k, seed), then S2 is
    the routing matrix O of that first phase (row i: the targets it was given) and T2 its
    transpose, so the second phase's degrees are the first phase's fan-outs and loads."""
    from ..routing.api import route

    S1, T1 = uniform(p)
    routes = route(S1, T1, p.k, seed=p.seed).routes
    O = np.zeros((p.M, p.E), dtype=bool)
    rows, slots = np.nonzero(routes >= 0)
    O[rows, routes[rows, slots]] = True
    return O, O.T.copy()


GENERATORS: dict[str, Callable[[Params], tuple[np.ndarray, np.ndarray]]] = {
    "uniform": uniform,
    "exact-k": exact_k,
    "uniform-1-k": uniform_1_to_k,
    "bands": bands,
    "block-diagonal": block_diagonal,
    "diagonal": diagonal,
    "checkerboard": checkerboard,
    "boundary": boundary,
    "bimodal": bimodal,
    "power-law": power_law,
    "empty-full": empty_full,
    "moe": moe,
    "adversarial": adversarial,
}


def generate(kind: str, M: int, E: int, *, k: int = 64, density: float = 0.5, seed: int = 0
             ) -> tuple[np.ndarray, np.ndarray]:
    """(S, T) of the named kind: S is M x E and T is E x M, both bool."""
    if kind not in GENERATORS:
        raise InvalidInputError(f"unknown generator {kind!r}; choose one of {', '.join(GENERATORS)}")
    if not (isinstance(M, (int, np.integer)) and isinstance(E, (int, np.integer)) and M >= 1 and E >= 1):
        raise InvalidInputError(f"shape must be two positive integers, got {M} x {E}")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidInputError(f"k must be a positive integer, got {k!r}")
    if not 0.0 <= float(density) <= 1.0:
        raise InvalidInputError(f"density must be in [0, 1], got {density}")
    if not 0 <= int(seed) < 2**64:
        raise InvalidInputError(f"seed must be in [0, 2^64), got {seed}")
    return GENERATORS[kind](Params(int(M), int(E), int(k), float(density), int(seed)))


def degrees(kind: str, M: int, E: int, **options) -> tuple[np.ndarray, np.ndarray]:
    """Row sums (s, t) of ``generate(kind, M, E, ...)``: all a router needs."""
    S, T = generate(kind, M, E, **options)
    return np.count_nonzero(S, axis=1), np.count_nonzero(T, axis=1)

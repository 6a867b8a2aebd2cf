"""Pure-Python references of the baseline routers (docs/BASELINES.md), written for clarity.

Each is the definition itself, slow on purpose; the C++ kernels (core_cpp/baselines/) must
agree with them byte for byte, which tests/baselines/test_baselines.py checks.
"""

from __future__ import annotations

import numpy as np

from .._internal import random as rnd

MASK64 = (1 << 64) - 1
DOMAIN_GREEDY_TIES = 5
DOMAIN_HASH_UNIFORM = 6
DOMAIN_HASH_WEIGHTED = 7
DOMAIN_TWO_CHOICE = 8
DOMAIN_GREEDY_ORDER = 9


class WideDraws:
    """Uniform integers in [0, bound) from the 64-bit words splitmix(key, 0), splitmix(key, 1), ...:
    the word's low bits under the smallest all-ones mask covering bound - 1, rejected if >= bound."""

    def __init__(self, key: int) -> None:
        self._key = key
        self._counter = 0

    def bounded(self, bound: int) -> int:
        mask = (1 << (bound - 1).bit_length()) - 1
        while True:
            u = rnd.splitmix(self._key, self._counter) & mask
            self._counter += 1
            if u < bound:
                return u

    def word(self) -> int:
        """The next word of the stream."""
        u = rnd.splitmix(self._key, self._counter)
        self._counter += 1
        return u

    def lemire(self, bound: int) -> int:
        """Uniform in [0, bound) by Lemire's multiply-shift: the high 64 bits of word * bound,
        the word rejected when the low 64 bits fall below 2^64 mod bound."""
        while True:
            m = rnd.splitmix(self._key, self._counter) * bound
            self._counter += 1
            if (m & MASK64) >= (1 << 64) % bound:
                return m >> 64


def weighted_pick(weights: list[int], u: int) -> int:
    """The smallest j with weights[0] + ... + weights[j] > u."""
    return int(np.searchsorted(np.cumsum(np.asarray(weights, dtype=np.int64)), u, side="right"))


def _write(routes: np.ndarray, i: int, picked: list[int]) -> None:
    routes[i, : len(picked)] = sorted(picked)


def hash_uniform(counts, E: int, k: int, seed: int) -> np.ndarray:
    """Row i: Floyd's algorithm for counts[i] distinct targets of [0, E) on the 32-bit draw
    stream keyed splitmix(K_6, i) (the same stream and bounded draws as SPEC's selection)."""
    counts = np.asarray(counts, dtype=np.int64)
    routes = np.full((counts.size, k), -1, dtype=np.int32)
    key = rnd.domain_key(seed, DOMAIN_HASH_UNIFORM)
    for i, n in enumerate(counts.tolist()):
        stream = rnd.DrawStream(rnd.splitmix(key, i))
        picked: list[int] = []
        for j in range(E - n, E):
            v = stream.bounded(j + 1)
            picked.append(j if v in picked else v)
        _write(routes, i, picked)
    return routes


def alias_table(weights) -> tuple[list[int], list[int]]:
    """(threshold, alias) of Vose's alias construction in exact integers: scaled weights
    x_j = w_j * E, bucket capacity W = sum(w); small (x < W) and large (x >= W) lists in ascending
    j, each used as a stack (last entry first); each step sets bucket l = small.pop() to
    (x_l, alias large.pop() = g), lowers x_g by W - x_l and pushes g back where it now belongs.
    Leftover buckets keep themselves (threshold W)."""
    w = [int(x) for x in weights]
    E, W = len(w), sum(w)
    x = [wj * E for wj in w]
    threshold, alias = [0] * E, list(range(E))
    small = [j for j in range(E) if x[j] < W]
    large = [j for j in range(E) if x[j] >= W]
    while small and large:
        l, g = small.pop(), large.pop()
        threshold[l], alias[l] = x[l], g
        x[g] -= W - x[l]
        (small if x[g] < W else large).append(g)
    for j in small + large:
        threshold[j] = W
    return threshold, alias


def alias_draw(draws: WideDraws, E: int, W: int) -> tuple[int, int]:
    """(bucket, u): bucket uniform in [0, E), u uniform in [0, W). When W < 2^32 one word gives
    both, by 32-bit Lemire on its high half (bucket) and its low half (u), the whole word
    discarded if either half is rejected; otherwise lemire(E), then lemire(W)."""
    if W < 1 << 32:
        while True:
            x = draws.word()
            mb, mu = (x >> 32) * E, (x & 0xFFFFFFFF) * W
            if (mb & 0xFFFFFFFF) >= (1 << 32) % E and (mu & 0xFFFFFFFF) >= (1 << 32) % W:
                return mb >> 32, mu >> 32
    return draws.lemire(E), draws.lemire(W)


def hash_weighted(counts, weights, k: int, seed: int) -> np.ndarray:
    """Row i, on WideDraws keyed splitmix(K_7, i): successive sampling in proportion to t_j
    without replacement. Phase 1, while the picked weight is at most half of W: (b, u) =
    alias_draw(...), target b if u < threshold[b] else alias[b]; a target already
    picked is discarded. Phase 2 (what is left): u = bounded(remaining weight), the weighted pick
    over the remaining weights, that target's weight set to 0."""
    counts = np.asarray(counts, dtype=np.int64)
    base = [int(x) for x in np.asarray(weights)]
    E, W = len(base), sum(base)
    threshold, alias = alias_table(base)
    routes = np.full((counts.size, k), -1, dtype=np.int32)
    key = rnd.domain_key(seed, DOMAIN_HASH_WEIGHTED)
    for i, n in enumerate(counts.tolist()):
        draws = WideDraws(rnd.splitmix(key, i))
        picked: list[int] = []
        picked_weight = 0
        while len(picked) < n and 2 * picked_weight <= W:
            b, u = alias_draw(draws, E, W)
            j = b if u < threshold[b] else alias[b]
            if j not in picked:
                picked.append(j)
                picked_weight += base[j]
        w = [0 if j in picked else base[j] for j in range(E)]
        while len(picked) < n:
            j = weighted_pick(w, draws.bounded(sum(w)))
            w[j] = 0
            picked.append(j)
        _write(routes, i, picked)
    return routes


def two_choice(counts, weights, k: int, seed: int) -> np.ndarray:
    """Sources in order 0..M-1; each slot draws a, then b != a, from the remaining weights (as in
    hash_weighted), keeps b if load[b]/w[b] < load[a]/w[a] and a otherwise; the kept target
    leaves the row's pool and its global load grows by one. With one target left, it is taken."""
    counts = np.asarray(counts, dtype=np.int64)
    base = [int(x) for x in np.asarray(weights)]
    positive = sum(1 for x in base if x > 0)
    load = [0] * len(base)
    routes = np.full((counts.size, k), -1, dtype=np.int32)
    key = rnd.domain_key(seed, DOMAIN_TWO_CHOICE)
    for i, n in enumerate(counts.tolist()):
        draws = WideDraws(rnd.splitmix(key, i))
        w = list(base)
        picked = []
        for r in range(n):
            a = weighted_pick(w, draws.bounded(sum(w)))
            choice = a
            if positive - r >= 2:
                without_a = list(w)
                without_a[a] = 0
                b = weighted_pick(without_a, draws.bounded(sum(without_a)))
                if load[b] * base[a] < load[a] * base[b]:
                    choice = b
            w[choice] = 0
            load[choice] += 1
            picked.append(choice)
        _write(routes, i, picked)
    return routes

"""Generators whose row degrees are random (keyed draws) and whose ones sit at keyed random
columns: uniform, exact-k, uniform-1-k, bimodal, power-law, empty-full."""

from __future__ import annotations

import numpy as np

from .._internal import random as rnd
from .draws import bernoulli_degrees, bernoulli_rows, bounded_draws, coins, input_keys
from .generators import ALPHA, DENSITY, HIGH_FRACTION, Generator, Realised, Shape, register


def _uniform(p: Shape):
    key_S, key_T = input_keys(p.seed)
    density = p.params["density"]
    return bernoulli_degrees(key_S, p.M, p.E, density), bernoulli_degrees(key_T, p.E, p.M, density)


def _uniform_rows(r: Realised, side: str, first: int, last: int) -> np.ndarray:
    key_S, key_T = input_keys(r.shape.seed)
    key, cols = (key_S, r.shape.E) if side == "S" else (key_T, r.shape.M)
    return bernoulli_rows(key, first, last, cols, r.shape.params["density"])


register(Generator("uniform", "every entry 1 with probability density (keyed Bernoulli bits)", _uniform,
                   {"density": DENSITY}, rows=_uniform_rows))


def _exact_k(p: Shape):
    return np.full(p.M, min(p.k, p.E), dtype=np.uint32), np.full(p.E, min(p.k, p.M), dtype=np.uint32)


register(Generator("exact-k", "every row has exactly min(k, width) ones", _exact_k, uses_k=True,
                   aliases=("exactly_k", "exactly-k")))


def _uniform_1_to_k(p: Shape):
    key_S, key_T = input_keys(p.seed)
    s = 1 + bounded_draws(key_S, p.M, min(p.k, p.E))
    t = 1 + bounded_draws(key_T, p.E, min(p.k, p.M))
    return s.astype(np.uint32), t.astype(np.uint32)


register(Generator("uniform-1-k", "row counts uniform in 1..k, capped at the width (the original evaluation)",
                   _uniform_1_to_k, uses_k=True, aliases=("uniform_1_to_k", "uniform-1-to-k")))


def _bimodal(p: Shape):
    """Each row is light (1) or heavy (half the row) by a keyed coin with P(heavy) = high_fraction."""
    key_S, key_T = input_keys(p.seed)

    def side(key: int, rows: int, cols: int) -> np.ndarray:
        return np.where(coins(key, rows, p.params["high_fraction"]), max(1, cols // 2), 1).astype(np.uint32)

    return side(key_S, p.M, p.E), side(key_T, p.E, p.M)


register(Generator("bimodal", "rows of 1 or width/2 ones (heavy with probability high_fraction)", _bimodal,
                   {"high_fraction": HIGH_FRACTION}))


def _power_law(p: Shape):
    """Row degrees max(1, floor(width / rank^alpha)) over a keyed order of the rows (Zipf-like).
    With the default alpha = 1 every value is an exact IEEE division."""
    key_S, key_T = input_keys(p.seed)

    def side(key: int, rows: int, cols: int) -> np.ndarray:
        ranks = np.arange(1, rows + 1, dtype=np.float64)
        degrees = np.maximum(1, np.floor(cols / ranks ** p.params["alpha"])).astype(np.uint32)
        return degrees[rnd.keyed_permutation(key, rows)]

    return side(key_S, p.M, p.E), side(key_T, p.E, p.M)


register(Generator("power-law", "row degrees ~ width / rank^alpha over a keyed row order", _power_law,
                   {"alpha": ALPHA}, aliases=("power_law", "powerlaw")))


def _empty_full(p: Shape):
    key_S, key_T = input_keys(p.seed)
    return (np.where(coins(key_S, p.M, 0.5), p.E, 0).astype(np.uint32),
            np.where(coins(key_T, p.E, 0.5), p.M, 0).astype(np.uint32))


register(Generator("empty-full", "every row empty or full, by a keyed coin", _empty_full, aliases=("empty_full",)))

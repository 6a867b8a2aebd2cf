"""Hypothesis strategies for routing inputs given as degrees (only degrees matter: SPEC step 1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

DEGREE_KINDS = ("uniform", "zero", "full", "extremes", "sparse", "mixed")


def make_degrees(kind: str, size: int, ring: int, rng: np.random.Generator) -> np.ndarray:
    """A degree vector of `size` entries in [0, ring] of the given kind."""
    if kind == "uniform":
        return rng.integers(0, ring + 1, size)
    if kind == "zero":
        return np.zeros(size, dtype=np.int64)
    if kind == "full":
        return np.full(size, ring, dtype=np.int64)
    if kind == "extremes":  # {0, 1, ring}: empty, single-bit and full rows
        return rng.choice(np.array([0, 1, ring]), size)
    if kind == "sparse":
        return rng.integers(0, min(ring, 3) + 1, size)
    # mixed: mostly uniform with some extremes sprinkled in
    out = rng.integers(0, ring + 1, size)
    out[rng.random(size) < 0.2] = ring
    out[rng.random(size) < 0.1] = 0
    return out


@dataclass(frozen=True)
class Case:
    s: np.ndarray
    t: np.ndarray
    k: int
    seed: int
    row_perm: bool

    @property
    def M(self) -> int:
        return self.s.size

    @property
    def E(self) -> int:
        return self.t.size


@st.composite
def routing_cases(draw, max_dim: int = 300) -> Case:
    M = draw(st.integers(1, max_dim))
    E = draw(st.integers(1, max_dim))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    s = make_degrees(draw(st.sampled_from(DEGREE_KINDS)), M, E, rng)
    t = make_degrees(draw(st.sampled_from(DEGREE_KINDS)), E, M, rng)
    k = draw(st.one_of(st.integers(1, 8), st.integers(1, E + 10)))
    seed = draw(st.one_of(st.sampled_from([0, 1, 2**64 - 1]), st.integers(0, 2**64 - 1)))
    return Case(s, t, k, seed, draw(st.booleans()))

"""Pure-NumPy reference of the greedy selection mode (docs/BASELINES.md), on the candidate sets
of the spec's own pipeline (reference.pipeline). core_cpp/selection/greedy.cpp must match it byte
for byte; tests/selection/test_greedy.py checks that."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .._internal import random as rnd
from . import spec as reference
from .baselines import DOMAIN_GREEDY_ORDER, DOMAIN_GREEDY_TIES


def select_greedy(candidates: np.ndarray, t: np.ndarray, k: int, seed: int, block: int) -> np.ndarray:
    """Rows in the order perm(K_9, M), in blocks of `block`; a row with more than k candidates
    keeps the k smallest by (load_j / t_j, splitmix(splitmix(K_5, i), j)), with loads as of its
    block's start. Exact rationals, so ties are ties."""
    M, E = candidates.shape
    tie_key = rnd.domain_key(seed, DOMAIN_GREEDY_TIES)
    order = rnd.keyed_permutation(rnd.domain_key(seed, DOMAIN_GREEDY_ORDER), M)
    load = np.zeros(E, dtype=np.int64)
    routes = np.full((M, k), -1, dtype=np.int32)
    for b0 in range(0, M, block):
        rows = order[b0 : b0 + block]
        for i in rows.tolist():
            targets = np.flatnonzero(candidates[i]).tolist()
            if len(targets) > k:
                row_key = rnd.splitmix(tie_key, i)
                ranked = sorted(targets, key=lambda j: (Fraction(int(load[j]), int(t[j])), rnd.splitmix(row_key, j)))
                targets = sorted(ranked[:k])
            routes[i, : len(targets)] = targets
        for i in rows.tolist():
            kept = routes[i][routes[i] >= 0]
            load[kept] += 1
    return routes


def route_degrees_greedy(s, t, k: int, seed: int = 0, row_perm: bool = False, block: int = 16) -> np.ndarray:
    S, T = reference.matrices_from_degrees(s, t)
    stages = reference.pipeline(S, T, k, seed, row_perm)
    return select_greedy(stages.candidates, np.asarray(t, dtype=np.int64), k, seed, block)

"""The two-phase adversarial construction of the original system (TSltd/bitpacked_phase_router),
computed per router as it was:

1. Phase 1: S1 and T1 are exact-k N x N matrices (k ones per row at keyed random columns), and
   the router under test routes them.
2. S2: 128 buckets, each a keyed random set of k columns; source i's row of S2 is the bucket
   (sum of the targets i was given in phase 1) mod 128. So S2 is built from *that router's own*
   phase-1 routes: a router whose routes hash into few buckets gets a more repetitive S2.
3. T2: a fresh exact-k N x N matrix. Phase 2 routes (S2, T2) with the same router.

The phase router reads only row sums, and every row of S2 and T2 holds exactly k ones, so its
phase 2 is an exact-k routing whatever phase 1 did: the construction cannot hurt it. The
original's hash router (baselines/hash_original.py) picks among S2[i] AND T2[i]: the 128
patterns of S2 confine its loads to at most 128 k columns, which is the collapse the original
reported. This project's own two-phase input (`adversarial`, routed_inputs.py) feeds the
phase-1 routing matrix itself to phase 2, which does change the degrees.

Differences from the original, on purpose: the randomness is SplitMix64 (keys K_20 for the
buckets, K_21 for T2's seed), not NumPy's generators; both routers see the same bucket sets (the
original drew them from seed 123 for the phase router and 999 for the hash router), so only their
phase-1 routes differ. The generator `two-phase-original` (routed_inputs.py) is the phase router's
variant (any M x E: phase 1 exact-k, buckets of min(k, E) columns); `two_phase_original(...)`
gives any router's, square as the original ran it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._internal import random as rnd
from .._internal.seed_domains import DOMAIN_BUCKETS, DOMAIN_SECOND_T
from .draws import placed_rows
from .generators import realise

BUCKETS = 128

# (S, T, k, seed) -> routes (N x k int32, -1 padded)
FirstPhase = Callable[[np.ndarray, np.ndarray, int, int], np.ndarray]


@dataclass(frozen=True)
class TwoPhase:
    S1: np.ndarray
    T1: np.ndarray
    routes1: np.ndarray
    S2: np.ndarray
    T2: np.ndarray


def bucket_columns(E: int, k: int, seed: int, buckets: int = BUCKETS) -> np.ndarray:
    """(buckets x E) bool: bucket b holds min(k, E) keyed random columns."""
    return placed_rows(rnd.domain_key(seed, DOMAIN_BUCKETS), np.full(buckets, min(k, E)), 0, E)


def second_phase_S(routes1: np.ndarray, E: int, k: int, seed: int, buckets: int = BUCKETS) -> np.ndarray:
    """S2 (M x E bool): row i is bucket (sum of row i's phase-1 targets) mod buckets."""
    kept = np.where(routes1 >= 0, routes1, 0).astype(np.int64)
    return bucket_columns(E, k, seed, buckets)[kept.sum(axis=1) % buckets]


def second_phase_T(M: int, E: int, k: int, seed: int) -> np.ndarray:
    """T2 (E x M bool): a fresh exact-k matrix (its own seed, derived from `seed`)."""
    return realise("exact-k", M, E, k=k, seed=rnd.domain_key(seed, DOMAIN_SECOND_T)).rows("T", 0, E)


def two_phase_original(N: int, k: int, seed: int, first_phase: FirstPhase) -> TwoPhase:
    """The whole construction for one router (`first_phase` routes phase 1), square N x N as
    the original ran it."""
    S1, T1 = realise("exact-k", N, N, k=k, seed=seed).matrices()
    routes1 = np.asarray(first_phase(S1, T1, k, seed))
    return TwoPhase(S1, T1, routes1, second_phase_S(routes1, N, k, seed), second_phase_T(N, N, k, seed))

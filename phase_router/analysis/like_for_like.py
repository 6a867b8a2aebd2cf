"""Routing every router like for like (docs/METRICS.md, "Like for like"): on the same seed, every
router gives source i the same number of routes, r_i = min(k, c_i), the phase router's own count
(c_i = source i's candidates under the phase construction at that seed). Only where the routes go
differs. The feasible set of the baselines is a choice:

- ``all``: the baselines pick from all E targets (hash-weighted also caps r_i at the targets with
  t_j > 0), as they would in use;
- ``candidates``: they pick from the same candidate set C_i as the phase router (hash: a uniform
  r_i-subset of C_i, which is the phase router's own rule; hash-weighted: successive sampling in
  proportion to t_j; two-choice: the better of two such draws by L_j / t_j, rows in order). These
  run in NumPy from the full candidate matrix (M x E), for analysis only.

The phase policies always pick from C_i: that is their definition.
"""

from __future__ import annotations

import numpy as np

from .. import _core
from .._internal.seed_domains import DOMAIN_HASH_UNIFORM, DOMAIN_HASH_WEIGHTED, DOMAIN_TWO_CHOICE
from .._internal.scalars import check_choice
from ..errors import InvalidInputError, ResourceLimitError
from .routers import router

RULE = "r_i = min(k, c_i): every router gives source i the phase router's own route count at the same seed"
FEASIBLE = ("all", "candidates")
BASELINES = ("hash", "hash-weighted", "two-choice")
CANDIDATE_MATRIX_LIMIT = 1 << 26  # M x E entries of the candidate matrix for feasible="candidates"


def check_feasible(feasible: str) -> str:
    return check_choice(feasible, FEASIBLE, "feasible set")


def phase_counts(s, t, k: int, seed: int) -> np.ndarray:
    """r_i = min(k, c_i) of the phase router at this seed (uint32)."""
    routes = router("phase")(s, t, k, int(seed), 1)
    return np.count_nonzero(routes >= 0, axis=1).astype(np.uint32)


def candidate_matrix(s, t, seed: int) -> np.ndarray:
    """Boolean M x E: j in C_i under the phase construction at this seed."""
    M, E = int(s.size), int(t.size)
    if M * E > CANDIDATE_MATRIX_LIMIT:
        raise ResourceLimitError(f"feasible set 'candidates' needs an M x E matrix ({M} x {E}); "
                                 f"at most {CANDIDATE_MATRIX_LIMIT} entries, use --feasible all")
    routes = router("phase")(s, t, E, int(seed), 1)  # k = E: every candidate is kept
    matrix = np.zeros((M, E + 1), dtype=bool)
    matrix[np.arange(M)[:, None], np.where(routes >= 0, routes, E)] = True
    return matrix[:, :E]


def _routes_from_mask(chosen: np.ndarray, k: int) -> np.ndarray:
    M = chosen.shape[0]
    routes = np.full((M, k), -1, dtype=np.int32)
    rows, cols = np.nonzero(chosen)  # row-major: ascending targets within a row
    starts = np.searchsorted(rows, np.arange(M))
    routes[rows, np.arange(rows.size) - starts[rows]] = cols
    return routes


def _keyed_subset(feasible: np.ndarray, counts: np.ndarray, keys: np.ndarray, k: int) -> np.ndarray:
    """Each row's counts[i] feasible targets of smallest key."""
    keys = np.where(feasible, keys, np.inf)
    order = np.argsort(keys, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(order.shape[1])[None, :].repeat(order.shape[0], 0), axis=1)
    return _routes_from_mask(feasible & (rank < counts[:, None].astype(np.int64)), k)


def _two_choice_within(feasible: np.ndarray, counts: np.ndarray, t: np.ndarray, k: int, rng) -> np.ndarray:
    weights = np.maximum(t.astype(np.float64), 0)
    load = np.zeros(t.size, dtype=np.float64)
    chosen = np.zeros_like(feasible)
    for i in range(feasible.shape[0]):
        pool = np.flatnonzero(feasible[i] & (weights > 0))
        for _ in range(int(counts[i])):
            p = weights[pool] / weights[pool].sum()
            if pool.size >= 2:
                a, b = rng.choice(pool, size=2, replace=False, p=p)
                pick = b if load[b] / weights[b] < load[a] / weights[a] else a
            else:
                pick = pool[0]
            chosen[i, pick] = True
            load[pick] += 1
            pool = pool[pool != pick]
    return _routes_from_mask(chosen, k)


def route(name: str, s, t, k: int, seed: int, counts: np.ndarray, feasible: str = "all",
          candidates: np.ndarray | None = None) -> np.ndarray:
    """Routes of router `name` with counts[i] routes per source, on the feasible set asked."""
    if name not in BASELINES:
        return router(name)(s, t, k, int(seed), 1)
    E = int(t.size)
    if feasible == "all":
        if name == "hash":
            return _core.hash_route(counts, t, E, k, int(seed), False, 1)
        capped = np.minimum(counts, np.count_nonzero(t)).astype(np.uint32)
        if name == "hash-weighted":
            return _core.hash_route(capped, t, E, k, int(seed), True, 1)
        return _core.two_choice_route(capped, t, k, int(seed))
    if candidates is None:
        candidates = candidate_matrix(s, t, seed)
    domain = {"hash": DOMAIN_HASH_UNIFORM, "hash-weighted": DOMAIN_HASH_WEIGHTED, "two-choice": DOMAIN_TWO_CHOICE}[name]
    rng = np.random.default_rng([int(seed) % (1 << 63), domain])
    positive = candidates & (t > 0)[None, :]
    if name == "hash":
        return _keyed_subset(candidates, counts, rng.random(candidates.shape), k)
    capped = np.minimum(counts, positive.sum(axis=1))
    if name == "hash-weighted":  # exponential keys / t_j: smallest first is successive sampling
        with np.errstate(divide="ignore"):
            keys = rng.exponential(size=candidates.shape) / t[None, :].astype(np.float64)
        return _keyed_subset(positive, capped, keys, k)
    return _two_choice_within(positive, capped, t, k, rng)

"""Pure-NumPy reference of the hash candidate source (candidates="hash"): source i's candidates
are the weighted hash router's min(s_i, P) targets at this seed (P: the targets with t_j > 0),
taken literally from that router's own reference (reference/baselines.py)."""

from __future__ import annotations

import numpy as np

from .baselines import hash_weighted


def candidate_counts(s, t) -> np.ndarray:
    """c_i = min(s_i, P): a row cannot draw more distinct targets than have a positive weight."""
    positive = int(np.count_nonzero(np.asarray(t)))
    return np.minimum(np.asarray(s, dtype=np.int64), positive)


def candidates_from_degrees(s, t, seed: int) -> np.ndarray:
    """O_ij (M x E bool): j is one of source i's hashed candidates."""
    t = np.asarray(t, dtype=np.int64)
    counts = candidate_counts(s, t)
    M, E = counts.size, t.size
    width = max(1, int(counts.max(initial=0)))
    routes = hash_weighted(counts, t, width, seed)
    matrix = np.zeros((M, E + 1), dtype=bool)
    matrix[np.arange(M)[:, None], np.where(routes >= 0, routes, E)] = True
    return matrix[:, :E]


def candidates(S, T, seed: int) -> np.ndarray:
    """The same from 0/1 matrices: only their row sums matter."""
    return candidates_from_degrees(np.asarray(S).sum(axis=1), np.asarray(T).sum(axis=1), seed)

"""Weighted candidates (candidates="scores"): the candidates of source i are exactly
{ j : T_ji = 1 }, as under a mask whose S is T^T and whose T is all ones (t_j = M), and S_ij >= 0
says how much row i prefers each of them, e.g. gate scores with T the top-c experts of each token. The preference counts only where a
policy has a choice among equally balanced selections: select="optimal" with objective
"preference" keeps the most weight at the smallest maximum load; the other policies read the
candidates alone. Weights are kept as integers, multiples of (the largest listed weight) / 2^30,
rounded to the nearest (core_cpp/candidates/mask_candidates.hpp)."""

from __future__ import annotations

import numpy as np

from ... import _core
from ..._internal.matrix_degrees import matrix_rows
from ..._internal.weight_matrix import check_weights
from ..selection import DEFAULT_POLICY
from .mask import MaskRouter, candidate_lists
from .mask import _memory_parts as mask_memory_parts
from .source import CandidateSource

WEIGHT_STEPS = 1 << 30  # the largest weight a C++ source takes (max_candidate_weight)


def quantized(weights: np.ndarray) -> np.ndarray:
    """Non-negative float weights as int64 in [0, WEIGHT_STEPS], the largest at WEIGHT_STEPS."""
    top = float(weights.max(initial=0.0))
    if top == 0.0:
        return np.zeros(weights.shape, dtype=np.int64)
    return np.rint(weights * (WEIGHT_STEPS / top)).astype(np.int64)


class ScoresRouter(MaskRouter):
    """S (M x E non-negative weights) and T (E x M, 0/1) prepared for routing over T's pairs
    weighted by S. s are the candidate counts c_i (T's column sums). T says which pairs are
    candidates and holds no capacities, so every target weighs alike in relative loads: t_j = M
    (as under a mask whose T is all ones, which routes the same candidates the same way)."""

    candidates = "scores"  # registered below

    def __init__(self, S, T, k: int, *, seed: int = 0, select: str = DEFAULT_POLICY,  # noqa: N803
                 select_options: dict | None = None) -> None:
        weights = check_weights(S, "S")
        T = matrix_rows(T, "T")  # noqa: N806
        M, E = weights.shape  # noqa: N806
        self._set_up(weights.shape, T, k, seed, select, select_options)
        offsets, targets = candidate_lists(M, E, lambda first, stop: T[:, first:stop].T)
        rows = np.repeat(np.arange(M), np.diff(offsets).astype(np.int64))
        self.s = np.diff(offsets).astype(np.uint32)
        self.t = np.full(E, M, dtype=np.uint32)
        self._core = _core.MaskCandidates(offsets, targets, E, self.t, quantized(weights[rows, targets]))


def _memory_parts(M: int, E: int, threads: int, pairs: int) -> dict[str, int]:  # noqa: N803
    """The mask's parts, S as float64 instead of bool, and the weights: float64 and int64 a pair."""
    parts = mask_memory_parts(M, E, threads, pairs)
    parts["matrices"] += 7 * M * E
    parts["candidate lists"] += 24 * pairs
    return parts


def _candidate_pairs(S, T) -> int:  # noqa: N803
    return int(np.count_nonzero(T))


def _prepare(S, T, k: int, *, seed: int, select: str, select_options: dict | None, **route_options):  # noqa: N803
    return ScoresRouter(S, T, k, seed=seed, select=select, select_options=select_options)


def _oracle(S, T, seed: int, row_perm: bool):  # noqa: N803
    from ...reference.mask import candidates

    return candidates(np.ones(np.shape(S), dtype=bool), T)


def _weights(S, T):  # noqa: N803
    return quantized(np.where(np.asarray(T).astype(bool).T, check_weights(S, "S"), 0.0))


SOURCE = CandidateSource(
    "scores", "exactly T_ji of T, each pair weighted by S_ij >= 0 (how much row i prefers j, e.g. gate scores); "
    "select='optimal' with objective='preference' keeps the most weight",
    from_degrees=False, accepts=frozenset(), prepare=_prepare, memory_parts=_memory_parts,
    candidate_pairs=_candidate_pairs, oracle=_oracle, input_part="matrices", weights=_weights,
    target_weights=lambda S, T: np.full(np.shape(S)[1], np.shape(S)[0]),
)

"""Gate scores (tokens x experts) checked once, and each token's top-c experts.

Scores are non-negative gate weights, e.g. the softmax of a gate's logits: the kept gate mass
of a routing is the sum of the scores of its kept routes, which is meaningful only for weights.
A PyTorch CPU tensor is read through DLPack without a copy."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._internal.scalars import check_count
from .._internal.weight_matrix import check_weights
from ..errors import InvalidInputError


def check_scores(scores: Any) -> NDArray[np.float64]:
    """scores as a float64 M x E array (M >= 1, E >= 1) of finite non-negative numbers."""
    return check_weights(scores, "scores", "tokens", "experts", " gate weights (a softmax of the logits)")


def check_top(k: object, top_c: object, E: int) -> tuple[int, int]:  # noqa: N803
    """(k, top_c) with 1 <= k <= top_c <= E; top_c None means min(E, 2k)."""
    k = check_count(k, "k")
    if k > E:
        raise InvalidInputError(f"k = {k} exceeds the {E} experts")
    c = min(E, 2 * k) if top_c is None else check_count(top_c, "top_c")
    if c > E:
        raise InvalidInputError(f"top_c = {c} exceeds the {E} experts")
    if k > c:
        raise InvalidInputError(f"k = {k} exceeds top_c = {c}: each token needs k experts among its top c")
    return k, c


def top_experts(scores: NDArray[np.float64], c: int) -> NDArray[np.int64]:
    """M x c: each token's c highest-scoring experts, best first; equal scores go to the lower
    expert id (a stable sort of the negated scores), so the choice never depends on the platform."""
    return np.argsort(-scores, axis=1, kind="stable")[:, :c].astype(np.int64)


def top_mask(scores: NDArray[np.float64], c: int) -> NDArray[np.bool_]:
    """M x E bool: True at each token's top c experts, the same set as ``top_experts`` (equal
    scores to the lower expert id), found in O(M E): everything above each row's c-th largest
    score, then the lowest ids among the scores equal to it."""
    M, E = scores.shape  # noqa: N806
    if c >= E:
        return np.ones((M, E), dtype=bool)
    kth = np.partition(scores, E - c, axis=1)[:, E - c, None]  # each row's c-th largest score
    above = scores > kth
    equal = scores == kth
    room = c - np.count_nonzero(above, axis=1, keepdims=True)
    mask: NDArray[np.bool_] = above | (equal & (np.cumsum(equal, axis=1) <= room))
    return mask


def topk_mass(scores: NDArray[np.float64], k: int) -> float:
    """The gate mass unconstrained top-k routing keeps: the sum of every token's k largest scores,
    added in row-major order (as a routing's kept mass is)."""
    return float(scores[top_mask(scores, k)].sum())

"""Routing under a mask (candidates="mask"): the candidates of source i are exactly
{ j : S_ij = 1 and T_ji = 1 } of the input matrices, with no left-alignment and no phase mixing,
for users whose S is a constraint (job i may run only on machines j). Every selection policy runs
on it unchanged (core_cpp/candidates/mask_candidates.cpp). Unlike the phase construction it needs
the matrices themselves, not only their row sums, and takes none of row_perm, strategy, shards
or degree files."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ... import _core
from ..._internal.matrix_degrees import matrix_rows
from ..._internal.scalars import check_count, check_seed
from ...errors import ShapeMismatchError
from ..router import PreparedCandidates
from ..selection import DEFAULT_POLICY
from .source import CandidateSource

ROWS_PER_BLOCK_ENTRIES = 1 << 24  # entries of O built at once


def candidate_lists(M: int, E: int, allowed: Callable[[int, int], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:  # noqa: N803
    """(offsets, targets): each row's allowed targets ascending, as the C++ sources take them;
    allowed(first, stop) gives rows [first, stop) as bool, ROWS_PER_BLOCK_ENTRIES entries at once."""
    offsets = np.zeros(M + 1, dtype=np.uint64)
    blocks = []
    step = max(1, ROWS_PER_BLOCK_ENTRIES // max(E, 1))
    for first in range(0, M, step):
        block = allowed(first, min(M, first + step))
        rows, targets = np.nonzero(block)
        offsets[first + 1:first + 1 + block.shape[0]] = np.cumsum(np.count_nonzero(block, axis=1))
        offsets[first + 1:first + 1 + block.shape[0]] += offsets[first]
        blocks.append(targets.astype(np.uint32))
    return offsets, (np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.uint32))


class MaskRouter(PreparedCandidates):
    """S (M x E) and T (E x M) 0/1 matrices prepared for routing under the mask O = S AND T^T.
    s are the candidate counts c_i (row sums of O); t are T's row sums (the weights of relative
    loads, t_j >= the number of sources allowed to use j)."""

    candidates = "mask"  # registered below

    def __init__(self, S, T, k: int, *, seed: int = 0, select: str = DEFAULT_POLICY,
                 select_options: dict | None = None) -> None:
        S = matrix_rows(S, "S")
        T = matrix_rows(T, "T")
        M, E = S.shape
        self._set_up(S.shape, T, k, seed, select, select_options)
        offsets, targets = candidate_lists(M, E, lambda first, stop: S[first:stop] & T[:, first:stop].T)
        self.s = np.diff(offsets).astype(np.uint32)
        self.t = np.count_nonzero(T, axis=1).astype(np.uint32)
        self._core = _core.MaskCandidates(offsets, targets, E, self.t)

    def _set_up(self, shape: tuple[int, int], T: np.ndarray, k: int, seed: int, select: str,  # noqa: N803
                select_options: dict | None) -> None:
        """T's shape checked against S's (M x E); k, the seed and the policy set."""
        M, E = shape  # noqa: N806
        if T.shape != (E, M):
            raise ShapeMismatchError(f"T must be {E} x {M} for S of shape {M} x {E}, got {T.shape[0]} x {T.shape[1]}")
        self.k = check_count(k, "k")
        self.seed = check_seed(seed)
        self.row_perm = False
        self._prepare_selection(select, select_options)

    def stats_overrides(self) -> dict:
        """The phase theory's expected candidates do not apply under a mask: the exact counts do."""
        c = self.s.astype(np.float64)
        return {"expected_candidates_per_row": float(c.mean()),
                "candidate_density_theory": float(c.sum() / (self.M * self.E))}


def _memory_parts(M: int, E: int, threads: int, pairs: int) -> dict[str, int]:  # noqa: N803
    """Both matrices as bool, the candidate lists (uint32 per pair, row offsets) and the chunk
    of np.nonzero index pairs that builds them."""
    # MaskRouter builds the lists in blocks of ROWS_PER_BLOCK_ENTRIES entries: S AND T^T (bool, and
    # its transposed operand), np.nonzero's two int64 index arrays and the uint32 targets of the
    # block; then the blocks are concatenated (another 4 bytes a pair)
    block = min(M * E, max(E, ROWS_PER_BLOCK_ENTRIES))
    block_pairs = pairs * block // max(1, M * E)
    return {"matrices": 2 * M * E, "candidate lists": 4 * pairs + 8 * (M + 1) + 12 * (M + E),
            "scratch": threads * 16 * E + max(4 * pairs, 2 * block + 20 * block_pairs)}


def _candidate_pairs(S, T) -> int:  # noqa: N803
    """The pairs S AND T^T would hold if S's and T's ones were independent (counts, no AND)."""
    M, E = S.shape
    return int(np.count_nonzero(S)) * int(np.count_nonzero(T)) // max(1, M * E)


def _prepare(S, T, k: int, *, seed: int, select: str, select_options: dict | None, **route_options):  # noqa: N803
    return MaskRouter(S, T, k, seed=seed, select=select, select_options=select_options)


def _oracle(S, T, seed: int, row_perm: bool):  # noqa: N803
    from ...reference.mask import candidates

    return candidates(S, T)


SOURCE = CandidateSource(
    "mask", "exactly S_ij AND T_ji of the matrices, no phase mixing: S as a constraint, e.g. jobs x allowed "
    "machines; it routes the matrices themselves on this machine",
    from_degrees=False, accepts=frozenset(), prepare=_prepare, memory_parts=_memory_parts,
    candidate_pairs=_candidate_pairs, oracle=_oracle, input_part="matrices",
)

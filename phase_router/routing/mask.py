"""Routing under a mask (candidates="mask"): the candidates of source i are exactly
{ j : S_ij = 1 and T_ji = 1 } of the input matrices, with no left-alignment and no phase mixing,
for users whose S is a constraint (job i may run only on machines j). Every selection policy runs
on it unchanged (core_cpp/candidates/mask_candidates.cpp). Unlike the phase construction it needs
the matrices themselves, not only their row sums."""

from __future__ import annotations

import numpy as np

from .. import _core
from .._internal.matrix_degrees import matrix_rows
from .._internal.scalars import check_count, check_seed
from ..errors import ShapeMismatchError
from .router import PreparedCandidates

ROWS_PER_BLOCK_ENTRIES = 1 << 24  # entries of O built at once


class MaskRouter(PreparedCandidates):
    """S (M x E) and T (E x M) 0/1 matrices prepared for routing under the mask O = S AND T^T.
    s are the candidate counts c_i (row sums of O); t are T's row sums (the weights of relative
    loads, t_j >= the number of sources allowed to use j)."""

    candidates = "mask"

    def __init__(self, S, T, k: int, *, seed: int = 0, select: str = "random",
                 select_options: dict | None = None) -> None:
        S = matrix_rows(S, "S")
        T = matrix_rows(T, "T")
        M, E = S.shape
        if T.shape != (E, M):
            raise ShapeMismatchError(f"T must be {E} x {M} for S of shape {M} x {E}, got {T.shape[0]} x {T.shape[1]}")
        self.k = check_count(k, "k")
        self.seed = check_seed(seed)
        self.row_perm = False
        self._prepare_selection(select, select_options)
        offsets = np.zeros(M + 1, dtype=np.uint64)
        blocks = []
        step = max(1, ROWS_PER_BLOCK_ENTRIES // max(E, 1))
        for first in range(0, M, step):
            allowed = S[first:first + step] & T[:, first:first + step].T
            rows, targets = np.nonzero(allowed)
            offsets[first + 1:first + 1 + allowed.shape[0]] = np.cumsum(np.count_nonzero(allowed, axis=1))
            offsets[first + 1:first + 1 + allowed.shape[0]] += offsets[first]
            blocks.append(targets.astype(np.uint32))
        targets = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.uint32)
        self.s = np.diff(offsets).astype(np.uint32)
        self.t = np.count_nonzero(T, axis=1).astype(np.uint32)
        self._core = _core.MaskCandidates(offsets, targets, E, self.t)

    def stats_overrides(self) -> dict:
        """The phase theory's expected candidates do not apply under a mask: the exact counts do."""
        c = self.s.astype(np.float64)
        return {"expected_candidates_per_row": float(c.mean()),
                "candidate_density_theory": float(c.sum() / (self.M * self.E))}

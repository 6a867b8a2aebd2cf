"""Pure-NumPy reference of routing under a mask (candidates="mask"): O = S AND T^T literally, then
the selection policies' own references on those candidate rows."""

from __future__ import annotations

import numpy as np

from .spec import select_routes


def candidates(S, T) -> np.ndarray:
    """O_ij = S_ij AND T_ji, M x E bool: no left-alignment, no rotation, no shuffle."""
    return np.asarray(S).astype(bool) & np.asarray(T).astype(bool).T


def route_mask(S, T, k: int, seed: int = 0) -> np.ndarray:
    """select="random" under the mask: each row's uniform min(k, c_i)-subset, drawn exactly as
    step 7 of docs/SPEC.md draws it (same keys, same ranks)."""
    return select_routes(candidates(S, T), k, seed)

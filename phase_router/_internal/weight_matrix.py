"""A matrix of non-negative real weights checked once (gate scores, candidate preferences):
2-D, at least 1 x 1, real, finite, non-negative; NumPy arrays, array-likes and PyTorch CPU
tensors (through DLPack, without a copy)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidInputError
from .vectors import as_array


def check_weights(matrix: Any, name: str, rows: str = "rows", columns: str = "columns",
                  negative_hint: str = "") -> NDArray[np.float64]:
    """matrix as float64 (exact for every float32 and float16, so ties rank as stored); the
    errors name it `name`, its axes `rows` x `columns`."""
    array = as_array(matrix, name)
    if array.ndim != 2:
        raise InvalidInputError(f"{name} must be a {rows} x {columns} (2-D) array, got {array.ndim}-D "
                                f"of shape {array.shape}")
    if array.dtype.kind not in "fiub":
        raise InvalidInputError(f"{name} must hold real numbers, got dtype {array.dtype}")
    M, E = (int(n) for n in array.shape)  # noqa: N806
    if M < 1 or E < 1:
        raise InvalidInputError(f"{name} needs at least one {rows[:-1]} and one {columns[:-1]}, got shape {M} x {E}")
    values = array.astype(np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        i, j = (int(n) for n in np.argwhere(~finite)[0])
        raise InvalidInputError(f"{name} must be finite, found {array[i, j].item()!r} at {rows[:-1]} {i}, "
                                f"{columns[:-1]} {j}")
    if values.min() < 0:
        i, j = (int(n) for n in np.argwhere(values < 0)[0])
        raise InvalidInputError(f"{name} must be non-negative{negative_hint}, found {array[i, j].item()!r} at "
                                f"{rows[:-1]} {i}, {columns[:-1]} {j}")
    return values

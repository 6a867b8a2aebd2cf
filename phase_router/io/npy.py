"""NPY matrices: memory-mapped, so a large file is scanned in chunks rather than loaded whole."""

from __future__ import annotations

import os
import tokenize

import numpy as np

from .._validate import first_non_binary
from ..errors import FileFormatError
from .files import open_input

CHUNK_ELEMENTS = 16 * 2**20


def load_npy(path: str | os.PathLike[str]) -> np.ndarray:
    """Memory-map an NPY file (no pickles); malformed or truncated files raise FileFormatError."""
    open_input(path).close()  # missing / unreadable / directory: clear InputFileError
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    # A malformed header can also fail in NumPy's header parser with SyntaxError, TypeError or
    # tokenize.TokenError; those are about the file too, not about our call.
    except (ValueError, OSError, EOFError, SyntaxError, TypeError, tokenize.TokenError) as exc:
        raise FileFormatError(path, f"not a valid NPY file ({_first_line(exc)})") from None


def npy_row_degrees(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row and the shape of a 0/1 NPY matrix, checking values chunk by chunk."""
    array = _matrix(path)
    rows, cols = array.shape
    degrees = np.empty(rows, dtype=np.uint32)
    step = max(1, CHUNK_ELEMENTS // cols)
    for first in range(0, rows, step):
        chunk = np.asarray(array[first : first + step])
        _check_binary(path, chunk, first)
        degrees[first : first + chunk.shape[0]] = np.count_nonzero(chunk, axis=1)
    return degrees, (rows, cols)


def read_npy_matrix(path: str | os.PathLike[str]) -> np.ndarray:
    """The whole 0/1 matrix as a bool array."""
    array = _matrix(path)
    _check_binary(path, np.asarray(array), 0)
    return np.asarray(array).astype(bool)


def _matrix(path) -> np.ndarray:
    array = load_npy(path)
    if array.ndim != 2:
        raise FileFormatError(path, f"expected a 2-D 0/1 matrix, got a {array.ndim}-D array of shape {array.shape}")
    if array.dtype.kind not in "buif":
        raise FileFormatError(path, f"expected bool, integer or float 0/1 values, got dtype {array.dtype}")
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise FileFormatError(path, f"matrix has shape {array.shape}; both sides must be at least 1")
    return array


def _check_binary(path, chunk: np.ndarray, first_row: int) -> None:
    position = first_non_binary(chunk)
    if position is not None:
        r, c = position
        raise FileFormatError(
            path, f"value {chunk[r, c].item()!r} at row {first_row + r}, column {c}: only 0 and 1 are allowed"
        )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__

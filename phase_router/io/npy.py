"""NPY matrices: memory-mapped, so a large file is scanned in chunks rather than loaded whole."""

from __future__ import annotations

import math
import os
import tokenize
import warnings

import numpy as np

from .._internal.validate import MAX_DIM, dense_row_degrees, first_non_binary
from ..errors import FileFormatError
from .files import open_input

CHUNK_ELEMENTS = 16 * 2**20


# A malformed header can fail in NumPy's header parser with any of these; they are about the
# file, not about our call.
_HEADER_ERRORS = (ValueError, OSError, EOFError, SyntaxError, TypeError, OverflowError, tokenize.TokenError)


def load_npy(path: str | os.PathLike[str]) -> np.ndarray:
    """Memory-map an NPY file (no pickles); malformed or truncated files raise FileFormatError."""
    # NumPy warns (on stderr, breaking the CLI's one-line errors) about Python 2 style headers;
    # the header is checked here, so the warning says nothing the user needs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _check_header(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return np.load(path, mmap_mode="r", allow_pickle=False)
    except _HEADER_ERRORS as exc:
        raise FileFormatError(path, f"not a valid NPY file ({_first_line(exc)})") from None


def _check_header(path) -> None:
    """Refuse a header whose data would not fit in the file, before NumPy maps it: NumPy's memmap
    multiplies the shape in C longs, so a huge claimed shape raised OverflowError (found by
    fuzzing, tests/fuzz_corpus/npy/crash-*.bin)."""
    with open_input(path) as handle:  # missing / unreadable / directory: clear InputFileError
        try:
            version = np.lib.format.read_magic(handle)
            if version not in ((1, 0), (2, 0)):  # 3.0 only adds UTF-8 field names: not a 0/1 matrix
                raise ValueError(f"unsupported NPY version {version[0]}.{version[1]}")
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(handle)
        except _HEADER_ERRORS as exc:
            raise FileFormatError(path, f"not a valid NPY file ({_first_line(exc)})") from None
        available = os.fstat(handle.fileno()).st_size - handle.tell()
    # Also keeps NumPy's size arithmetic in C longs exact, even for shapes with a zero side.
    if any(side > MAX_DIM for side in shape) or math.prod(max(1, side) for side in shape) > MAX_DIM**2:
        raise FileFormatError(path, f"not a valid NPY file (shape {tuple(shape)} is larger than the limits, "
                                    f"sides up to {MAX_DIM})")
    needed = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if needed > available:
        raise FileFormatError(
            path, f"not a valid NPY file (truncated: header says shape {tuple(shape)} of {dtype}, which needs "
            f"{needed} bytes, but only {available} bytes follow the header)"
        )


def npy_row_degrees(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row and the shape of a 0/1 NPY matrix: one C++ pass over the memory map, checking
    values as it counts; a file with a value other than 0/1 (or a dtype the pass does not read)
    is scanned chunk by chunk with NumPy, which names the value."""
    array = _matrix(path)
    rows, cols = array.shape
    degrees = dense_row_degrees(array)
    if degrees is not None:
        return degrees, (rows, cols)
    return npy_row_degrees_numpy(path)


def npy_row_degrees_numpy(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """The NumPy scan, chunk by chunk (the path before the C++ pass; kept for its messages and as
    the benchmark's "before" column)."""
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

"""Row degrees of 0/1 matrices (NumPy arrays, PackedBits, SciPy sparse, DLPack / __array__
objects), with each value checked, and the matrices themselves for consumers of the bits."""

from __future__ import annotations

import sys

import numpy as np

from ..errors import InvalidInputError, ShapeMismatchError
from ..packed_bits import PackedBits
from .arrays import is_scipy_sparse, sparse_row_degrees
from .scalars import MAX_DIM
from .threads import threads_for_scan
from .vectors import as_array


def matrix_row_degrees(matrix: object, name: str) -> tuple[np.ndarray, tuple[int, int]]:
    """Row sums of a 0/1 matrix and its shape, values checked. The matrix is a NumPy array,
    PackedBits, a SciPy sparse matrix/array (sums from its CSR structure, never densified) or
    any array with ``__dlpack__`` / ``__array__`` (PyTorch CPU tensors included).

    Arrays are read once, in place, by the C++ pass (any strides, no copy; see
    dense_row_degrees); only a matrix that fails its 0/1 check, or a dtype the pass does not read,
    goes through NumPy (matrix_row_degrees_numpy), which names the offending value."""
    from .. import _core

    if isinstance(matrix, PackedBits):
        rows, width = matrix.shape
        _check_nonempty(rows, width, name)
        return _core.packed_row_degrees(matrix.bits, width, threads_for_scan(matrix.bits.nbytes)), (rows, width)
    if is_scipy_sparse(matrix):
        if len(matrix.shape) == 2:
            _check_nonempty(int(matrix.shape[0]), int(matrix.shape[1]), name)
        return sparse_row_degrees(matrix, name)
    array = _matrix_array(as_array(matrix, name), name)
    degrees = dense_row_degrees(array)
    if degrees is None:
        degrees = matrix_row_degrees_numpy(array, name)
    return degrees, (int(array.shape[0]), int(array.shape[1]))


def dense_row_degrees(array: np.ndarray) -> np.ndarray | None:
    """The C++ streaming pass: uint32 row sums of a 2-D array whose values are all 0/1, or None
    when some value is not (or when the dtype is one the pass does not read: non-native byte
    order, long double), leaving the caller's NumPy path to find and name the value."""
    from .. import _core

    kind = dense_kind(array.dtype)
    if kind is None:
        return None
    degrees, binary = _core.dense_row_degrees(array, kind)
    return degrees if binary else None


def matrix_row_degrees_numpy(matrix: object, name: str) -> np.ndarray:
    """Row sums of a 0/1 array with NumPy (the path before the C++ pass; kept for its messages
    and as the benchmark's "before" column)."""
    array = _matrix_array(matrix, name)
    if array.dtype == bool:
        return np.count_nonzero(array, axis=1).astype(np.uint32)
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise InvalidInputError(f"{name} contains NaN or infinite values; only 0 and 1 are allowed")
    position = first_non_binary(array)
    if position is not None:
        r, c = position
        raise InvalidInputError(f"{name} must contain only 0 and 1, found {array[r, c].item()!r} at row {r}, column {c}")
    return np.count_nonzero(array, axis=1).astype(np.uint32)


def _matrix_array(matrix: object, name: str) -> np.ndarray:
    array = as_array(matrix, name)
    if array.ndim != 2:
        raise InvalidInputError(f"{name} must be a 2-D 0/1 matrix, got a {array.ndim}-D array")
    _check_nonempty(int(array.shape[0]), int(array.shape[1]), name)
    if array.dtype != bool and array.dtype.kind not in "uif":
        raise InvalidInputError(f"{name} must hold 0/1 values (bool, integer or float), got dtype {array.dtype}")
    return array


# ElementKind in core_cpp/degrees/dense_row_degrees.hpp. The pass reads little-endian bit
# patterns: IEEE half/single/double floats and 1/2/4/8-byte integers.
_BOOLEAN, _INTEGER, _FLOATING = 0, 1, 2


def dense_kind(dtype: np.dtype) -> int | None:
    """The ElementKind the C++ pass reads this dtype as, or None for one it does not read."""
    if sys.byteorder != "little" or not dtype.isnative:
        return None
    if dtype == bool:
        return _BOOLEAN
    if dtype.kind in "ui" and dtype.itemsize in (1, 2, 4, 8):
        return _INTEGER
    if dtype.kind == "f" and dtype.itemsize in (2, 4, 8):
        return _FLOATING
    return None


def first_non_binary(array: np.ndarray) -> tuple[int, int] | None:
    """(row, column) of the first value other than 0 and 1 in a 2-D array, or None.

    For integers, min >= 0 and max <= 1 decide it in two fast passes; the full element-wise test
    runs only for floats or when a bad value is known to exist (to say where it is)."""
    if array.dtype == bool or array.size == 0:
        return None
    if array.dtype.kind in "ui" and array.max() <= 1 and (array.dtype.kind == "u" or array.min() >= 0):
        return None
    bad = (array != 0) & (array != 1)
    if not bad.any():
        return None
    r, c = np.argwhere(bad)[0]
    return int(r), int(c)


def check_matching_shapes(shape_S: tuple[int, int], shape_T: tuple[int, int]) -> None:
    M, E = shape_S
    if shape_T != (E, M):
        raise ShapeMismatchError(
            f"T must be E x M = {E} x {M} for S of shape {M} x {E}, got {shape_T[0]} x {shape_T[1]}"
        )


def _check_nonempty(rows: int, cols: int, name: str) -> None:
    if rows < 1 or cols < 1:
        raise InvalidInputError(f"{name} has shape {rows} x {cols}; both sides must be at least 1")
    if rows > MAX_DIM or cols > MAX_DIM:
        raise InvalidInputError(f"{name} has shape {rows} x {cols}; each side must be at most {MAX_DIM}")


def matrix_rows(matrix: object, name: str) -> np.ndarray:
    """A 0/1 matrix (NumPy array or PackedBits) as a bool array, values checked like
    matrix_row_degrees (for consumers of the matrix itself, such as routing under a mask)."""
    if isinstance(matrix, PackedBits):
        rows, width = matrix.shape
        _check_nonempty(rows, width, name)
        return np.unpackbits(matrix.bits, axis=1, count=width).astype(bool)
    matrix_row_degrees(matrix, name)  # the checks, with their messages
    return np.asarray(matrix) != 0

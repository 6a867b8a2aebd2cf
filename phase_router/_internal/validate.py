"""Input coercion and checks for the public API. The C++ core trusts what comes out of here."""

from __future__ import annotations

import numbers
import os
import sys
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidInputError, ResourceLimitError, ShapeMismatchError
from .arrays import as_numpy, is_scipy_sparse, sparse_row_degrees

MAX_DIM = 2**31 - 1  # target ids are int32; ring positions uint32
MAX_SEED = 2**64 - 1


@dataclass(frozen=True)
class PackedBits:
    """A binary matrix stored as ``np.packbits(matrix, axis=1)``: rows of ceil(width / 8) bytes,
    most significant bit first. ``width`` is the true number of columns; bits past it are ignored."""

    bits: np.ndarray
    width: int

    def __post_init__(self) -> None:
        bits = np.asarray(self.bits)
        if bits.ndim != 2:
            raise InvalidInputError(f"packed bits must be 2-D (rows x bytes), got {bits.ndim}-D")
        if bits.dtype != np.uint8:
            raise InvalidInputError(f"packed bits must be uint8, got {bits.dtype}")
        width = check_count(self.width, "width")
        if bits.shape[1] != (width + 7) // 8:
            raise InvalidInputError(
                f"packed rows have {bits.shape[1]} bytes, but width {width} needs {(width + 7) // 8}"
            )
        object.__setattr__(self, "bits", bits)
        object.__setattr__(self, "width", width)

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.bits.shape[0]), self.width)

    def unpack(self) -> np.ndarray:
        """The matrix as a bool array."""
        return np.unpackbits(self.bits, axis=1, count=self.width).astype(bool)


def check_count(value: object, name: str, *, minimum: int = 1, maximum: int = MAX_DIM) -> int:
    """An integer in [minimum, maximum], rejecting bools and floats."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidInputError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if not minimum <= value <= maximum:
        raise InvalidInputError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def check_seed(seed: object) -> int:
    """Any integer in [0, 2**64 - 1]; every seed, 0 included, is deterministic."""
    return check_count(seed, "seed", minimum=0, maximum=MAX_SEED)


def check_flag(value: object, name: str) -> bool:
    """A real boolean: a string such as "false" or a number is refused, never read as true."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise InvalidInputError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


# Threads beyond this many per core only cost start-up (results never depend on the count); far
# beyond it, thread creation fails inside OpenMP and would take the process down.
THREADS_PER_CORE_LIMIT = 8


def max_threads() -> int:
    return THREADS_PER_CORE_LIMIT * (os.cpu_count() or 1)


def check_threads(threads: object) -> int:
    """0 (OpenMP's default) or a positive thread count of at most 8 per core."""
    if threads is None:
        return 0
    return check_count(threads, f"threads (at most {THREADS_PER_CORE_LIMIT} per core here)", minimum=0,
                       maximum=max_threads())


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
        return _core.packed_row_degrees(matrix.bits, width), (rows, width)
    if is_scipy_sparse(matrix):
        if len(matrix.shape) == 2:
            _check_nonempty(int(matrix.shape[0]), int(matrix.shape[1]), name)
        return sparse_row_degrees(matrix, name)
    array = _matrix_array(as_numpy(matrix, name), name)
    degrees = dense_row_degrees(array)
    if degrees is None:
        degrees = matrix_row_degrees_numpy(array, name)
    return degrees, (int(array.shape[0]), int(array.shape[1]))


def dense_row_degrees(array: np.ndarray) -> np.ndarray | None:
    """The C++ streaming pass: uint32 row sums of a 2-D array whose values are all 0/1, or None
    when some value is not (or when the dtype is one the pass does not read: non-native byte
    order, long double), leaving the caller's NumPy path to find and name the value."""
    from .. import _core

    kind = _dense_kind(array.dtype)
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
    array = np.asarray(matrix)
    if array.ndim != 2:
        raise InvalidInputError(f"{name} must be a 2-D 0/1 matrix, got a {array.ndim}-D array")
    _check_nonempty(int(array.shape[0]), int(array.shape[1]), name)
    if array.dtype != bool and array.dtype.kind not in "uif":
        raise InvalidInputError(f"{name} must hold 0/1 values (bool, integer or float), got dtype {array.dtype}")
    return array


# ElementKind in core_cpp/degrees/dense_row_degrees.hpp. The pass reads little-endian bit
# patterns: IEEE half/single/double floats and 1/2/4/8-byte integers.
_BOOLEAN, _INTEGER, _FLOATING = 0, 1, 2


def _dense_kind(dtype: np.dtype) -> int | None:
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


def check_degrees(degrees: object, name: str) -> np.ndarray:
    """A non-empty 1-D vector of non-negative integers, as uint32 (bounds: check_degree_bound).
    Any array with ``__dlpack__`` / ``__array__`` is accepted (PyTorch CPU tensors included)."""
    array = np.asarray(as_numpy(degrees, name))
    if array.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D vector of degrees, got a {array.ndim}-D array")
    if array.size == 0:
        raise InvalidInputError(f"{name} is empty; at least one row is needed")
    if array.size > MAX_DIM:
        raise InvalidInputError(f"{name} has {array.size} entries, more than the limit {MAX_DIM}")
    if array.dtype == bool or array.dtype.kind not in "uif":
        raise InvalidInputError(f"{name} must hold integers, got dtype {array.dtype}")
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise InvalidInputError(f"{name} must hold whole numbers, found a fractional or non-finite value")
    if np.any(array < 0):
        i = int(np.argmax(array < 0))
        raise InvalidInputError(f"{name}[{i}] = {array[i].item()} is negative")
    if np.any(array > MAX_DIM):
        i = int(np.argmax(array > MAX_DIM))
        raise InvalidInputError(f"{name}[{i}] = {array[i].item()} exceeds the limit {MAX_DIM}")
    return array.astype(np.uint32)


def check_degree_pair(s: object, t: object) -> tuple[np.ndarray, np.ndarray]:
    """s (M sources, each 0..E) and t (E targets, each 0..M) as checked uint32 vectors."""
    s_checked, t_checked = check_degrees(s, "s"), check_degrees(t, "t")
    check_degree_bound(s_checked, "s", t_checked.size, "E = len(t)")
    check_degree_bound(t_checked, "t", s_checked.size, "M = len(s)")
    return s_checked, t_checked


def check_degree_bound(degrees: np.ndarray, name: str, ring: int, ring_name: str) -> None:
    """Every degree is at most the ring size it is laid on."""
    if np.any(degrees > ring):
        i = int(np.argmax(degrees > ring))
        raise InvalidInputError(f"{name}[{i}] = {degrees[i].item()} exceeds {ring_name} = {ring}")


def check_matching_shapes(shape_S: tuple[int, int], shape_T: tuple[int, int]) -> None:
    M, E = shape_S
    if shape_T != (E, M):
        raise ShapeMismatchError(
            f"T must be E x M = {E} x {M} for S of shape {M} x {E}, got {shape_T[0]} x {shape_T[1]}"
        )


def check_output_fits(M: int, k: int) -> None:
    """Refuse an output larger than the machine's memory before allocating it."""
    needed = M * k * 4
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not on every platform
        return
    if needed > physical:
        raise ResourceLimitError(
            f"the routes would need {needed / 2**30:.1f} GiB (M={M} x k={k} int32), "
            f"more than this machine's {physical / 2**30:.1f} GiB; lower k or route row ranges"
        )


def check_routes_buffer(out: object, M: int, k: int) -> None:
    """`out` must be a writeable, C-contiguous int32 array of shape (M, k)."""
    if not isinstance(out, np.ndarray):
        raise InvalidInputError(f"out must be a NumPy array, got {type(out).__name__}")
    problems = []
    if out.dtype != np.int32:
        problems.append(f"dtype {out.dtype} (needs int32)")
    if out.shape != (M, k):
        problems.append(f"shape {out.shape} (needs {(M, k)})")
    if not out.flags.c_contiguous:
        problems.append("not C-contiguous")
    if not out.flags.writeable:
        problems.append("read-only")
    if problems:
        raise InvalidInputError("out cannot hold the routes: " + ", ".join(problems))


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

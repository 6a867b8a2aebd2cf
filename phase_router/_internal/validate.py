"""Input coercion and checks for the public API. The C++ core trusts what comes out of here."""

from __future__ import annotations

import itertools
import numbers
import os
import re
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
        bits = as_array(self.bits, "packed bits")
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


def show(value: object) -> str:
    """A value as quoted in an error message: its repr on one line, at most 60 characters."""
    try:
        text = " ".join(repr(value).split())
    except Exception:  # a hostile __repr__ must not replace the error being reported
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def check_count(value: object, name: str, *, minimum: int = 1, maximum: int = MAX_DIM) -> int:
    """An integer in [minimum, maximum], rejecting bools and floats."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InvalidInputError(f"{name} must be an integer, got {type(value).__name__} {show(value)}")
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
    raise InvalidInputError(f"{name} must be True or False, got {type(value).__name__} {show(value)}")


def check_choice(value: object, choices, name: str) -> str:
    """One of `choices` (strings); anything else, unhashable values included, is refused."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidInputError(f"{name} must be one of {', '.join(choices)}, got {show(value)}")
    return value


def check_real(value: object, name: str, *, minimum: float | None = None, maximum: float | None = None,
               above: float | None = None) -> float:
    """A finite real number (int or float, not bool or str) within the given bounds: `minimum`
    and `maximum` inclusive, `above` exclusive."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{name} must be a number, got {type(value).__name__} {show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    if not np.isfinite(number):
        raise InvalidInputError(f"{name} must be a finite number, got {show(value)}")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum) or (
            above is not None and number <= above):
        low = f"> {above}" if above is not None else (f">= {minimum}" if minimum is not None else "")
        high = f"<= {maximum}" if maximum is not None else ""
        raise InvalidInputError(f"{name} must be {' and '.join(x for x in (low, high) if x)}, got {show(value)}")
    return number


MAX_SEED_COUNT = 1_000_000  # seeds in one call; the sweep config's limit too


def check_seeds(seeds: object, name: str = "seeds") -> list[int]:
    """A non-empty collection of seeds (list, tuple, range, 1-D integer array), each in
    [0, 2^64), at most MAX_SEED_COUNT of them; counted before any is read."""
    if isinstance(seeds, (str, bytes, dict, set, frozenset)) or not hasattr(seeds, "__iter__"):
        raise InvalidInputError(f"{name} must be a list or range of integer seeds, got "
                                f"{type(seeds).__name__} {show(seeds)}")
    if isinstance(seeds, np.ndarray) and seeds.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D list of seeds, got a {seeds.ndim}-D array")
    try:
        count = len(seeds)  # type: ignore[arg-type]
    except OverflowError:  # len(range(2**64)) does not fit a C ssize_t
        count = MAX_SEED_COUNT + 1
    except TypeError:  # an iterator: read at most one more than the limit
        seeds = list(itertools.islice(seeds, MAX_SEED_COUNT + 1))  # type: ignore[call-overload]
        count = len(seeds)
    if count == 0:
        raise InvalidInputError(f"{name} is empty; at least one seed is needed")
    if count > MAX_SEED_COUNT:
        raise InvalidInputError(f"{name} holds more than {MAX_SEED_COUNT:,} seeds, the limit of one call")
    return [check_count(x, f"{name}[{i}]", minimum=0, maximum=MAX_SEED) for i, x in enumerate(seeds)]


def check_ks(ks: object, name: str = "ks") -> list[int]:
    """A non-empty list of fan-out caps k, each 1..2^31-1."""
    if isinstance(ks, (str, bytes, dict, set)) or not isinstance(ks, (list, tuple, range, np.ndarray)):
        raise InvalidInputError(f"{name} must be a list of integers k, got {type(ks).__name__} {show(ks)}")
    if isinstance(ks, np.ndarray) and ks.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D list of k values, got a {ks.ndim}-D array")
    try:
        count = len(ks)
    except OverflowError:
        count = MAX_SEED_COUNT + 1
    if count == 0 or count > 10_000:
        raise InvalidInputError(f"{name} must hold 1 to 10,000 values of k, got {count}")
    return [check_count(k, f"{name}[{i}]") for i, k in enumerate(ks)]


def check_workers(workers: object) -> int:
    """Threads of a seed pool: None (one per core) or 1..8 per core, like check_threads."""
    if workers is None:
        return os.cpu_count() or 1
    return check_count(workers, f"workers (at most {THREADS_PER_CORE_LIMIT} per core here)", minimum=1,
                       maximum=max_threads())


# A Dask worker is a whole Python process; more than this many per core only thrash, and
# 100,000 of them never finish starting.
WORKER_PROCESSES_PER_CORE_LIMIT = 8
# How long a client waits for a scheduler that does not answer: an address of the right form
# that nobody serves fails in seconds, not after Dask's default 30 s.
SCHEDULER_CONNECT_TIMEOUT = "5s"
_SCHEDULER = re.compile(r"^inproc://\S+$|^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})$")


def check_worker_processes(workers: object, name: str = "workers") -> int:
    """A count of local Dask worker processes: 1 to 8 per core."""
    limit = WORKER_PROCESSES_PER_CORE_LIMIT * (os.cpu_count() or 1)
    return check_count(workers, f"{name} (at most {WORKER_PROCESSES_PER_CORE_LIMIT} worker processes per core here)",
                       maximum=limit)


def check_scheduler_address(address: object) -> str:
    """A Dask scheduler address, [protocol://]host:port (e.g. tcp://10.0.0.5:8786), checked by
    its form before any connection is tried."""
    match = _SCHEDULER.match(address) if isinstance(address, str) else None
    if match is None or (match.group(1) is not None and not 1 <= int(match.group(1)) <= 65535):
        raise InvalidInputError(f"the scheduler address must be [protocol://]host:port with a port 1-65535 "
                                f"(e.g. tcp://10.0.0.5:8786), got {show(address)}")
    return address


def as_array(obj: object, name: str) -> np.ndarray:
    """np.asarray of an API argument, refusing what is not a rectangular array of numbers
    (a ragged list, nested objects) with a typed error instead of NumPy's ValueError."""
    if not isinstance(obj, np.ndarray) and hasattr(obj, "__len__"):
        try:
            count = len(obj)  # type: ignore[arg-type]
        except OverflowError:  # a range of 2^64 entries
            count = MAX_DIM + 1
        except TypeError:
            count = 0
        if count > MAX_DIM:
            raise ResourceLimitError(f"{name} has more than {MAX_DIM} entries, the limit of one side")
    try:
        array = np.asarray(as_numpy(obj, name))
    except MemoryError:
        raise ResourceLimitError(f"{name} does not fit in memory as an array") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise InvalidInputError(f"{name} is not a rectangular array of numbers (a ragged list?): "
                                f"{str(exc).splitlines()[0][:80]}") from None
    if array.dtype == object:
        raise InvalidInputError(f"{name} must hold numbers, got Python objects ({show(obj)})")
    return array


def check_vector(values: object, name: str, *, whole: bool = True) -> np.ndarray:
    """A 1-D vector of non-negative integers (loads, capacities) as int64, or with whole=False of
    non-negative finite reals as float64; empty allowed."""
    array = as_array(values, name)
    if array.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D vector, got a {array.ndim}-D array")
    if array.dtype == bool or array.dtype.kind not in "uif":
        raise InvalidInputError(f"{name} must hold integers, got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
        raise InvalidInputError(f"{name} must hold finite numbers, found NaN or infinity")
    if whole and array.dtype.kind == "f" and np.any(array != np.round(array)):
        raise InvalidInputError(f"{name} must hold whole numbers, found a fractional value")
    if array.size and array.dtype.kind == "u" and array.max() > np.iinfo(np.int64).max:
        raise InvalidInputError(f"{name} holds a value above 2^63 - 1")
    if whole and array.size and array.dtype.kind == "f" and np.abs(array).max() >= 2.0**63:
        raise InvalidInputError(f"{name} holds a value outside the 64-bit range")
    if array.size and array.min() < 0:
        i = int(np.argmax(array < 0))
        raise InvalidInputError(f"{name}[{i}] = {array[i].item()} is negative")
    return array.astype(np.int64 if whole else np.float64)


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
    array = as_array(degrees, name)
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


def check_routes(routes: object, E: int | None = None, name: str = "routes") -> np.ndarray:
    """An M x k integer array of target ids, -1 for an empty slot; with E, every id below E."""
    array = as_array(routes, name)
    if array.ndim != 2 or array.dtype == bool or array.dtype.kind not in "iu":
        raise InvalidInputError(f"{name} must be an M x k integer array, got a {array.ndim}-D {array.dtype} array")
    if array.size and (array.min() < -1 or (E is not None and array.max() >= E)):
        bound = f"[0, {E})" if E is not None else "[0, E)"
        raise InvalidInputError(f"{name} must hold target ids in {bound} or -1 for an empty slot")
    if array.shape[1] > MAX_DIM or array.shape[0] > MAX_DIM:
        raise InvalidInputError(f"{name} has shape {array.shape}; each side must be at most {MAX_DIM}")
    return array


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


def memory_budget() -> tuple[int, str] | None:
    """(bytes, what) this process could allocate at most: the machine's physical memory, or less
    when an address-space limit (ulimit -v, RLIMIT_AS) leaves less room; None if unknown."""
    try:
        budget, what = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"), "this machine's"
    except (AttributeError, ValueError, OSError):  # not on every platform
        return None
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        if soft != resource.RLIM_INFINITY:
            with open("/proc/self/status") as handle:
                used = next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmSize:"))
            if soft - used < budget:
                budget, what = max(0, soft - used), "the address-space limit's remaining"
    except (ImportError, OSError, StopIteration, ValueError):
        pass
    return budget, what


def check_fits(needed: int, what: str, hint: str) -> None:
    """Refuse, before allocating, `needed` bytes that this process could not hold."""
    budget = memory_budget()
    if budget is not None and needed > budget[0]:
        raise ResourceLimitError(f"{what} would need {needed / 2**30:.1f} GiB, more than {budget[1]} "
                                 f"{budget[0] / 2**30:.1f} GiB; {hint}")


def check_output_fits(M: int, k: int) -> None:
    """Refuse an output larger than the machine's memory before allocating it."""
    check_fits(M * k * 4, f"the routes (M={M} x k={k} int32)", "lower k or route row ranges")


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

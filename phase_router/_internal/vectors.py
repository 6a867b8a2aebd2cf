"""API arguments as NumPy arrays: any array-like coerced with a typed error, vectors of
non-negative numbers (loads, capacities) and the degree vectors s and t."""

from __future__ import annotations

import numpy as np

from ..errors import InvalidInputError, ResourceLimitError
from .arrays import as_numpy
from .scalars import MAX_DIM, show


def as_array(obj: object, name: str) -> np.ndarray:
    """np.asarray of an API argument, refusing what is not a rectangular array of numbers
    (a ragged list, nested objects) with a typed error instead of NumPy's ValueError."""
    if type(obj) is np.ndarray and obj.dtype != object:  # already what np.asarray would give
        return obj
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
    except InvalidInputError:  # as_numpy's own line (a tensor on another device, or requiring grad)
        raise
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


def check_degrees(degrees: object, name: str) -> np.ndarray:
    """A non-empty 1-D vector of non-negative integers, as uint32 (bounds: check_degree_bound).
    Any array with ``__dlpack__`` / ``__array__`` is accepted (PyTorch CPU tensors included)."""
    return _checked_degrees(degrees, name)[0]


def _checked_degrees(degrees: object, name: str) -> tuple[np.ndarray, int]:
    """check_degrees, and the largest degree (one pass each for the minimum and the maximum:
    a call per routing on vectors of any size)."""
    array = as_array(degrees, name)
    if array.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D vector of degrees, got a {array.ndim}-D array")
    size, dtype = array.size, array.dtype
    if size == 0:
        raise InvalidInputError(f"{name} is empty; at least one row is needed")
    if size > MAX_DIM:
        raise InvalidInputError(f"{name} has {size} entries, more than the limit {MAX_DIM}")
    kind = dtype.kind
    if kind not in "uif" or dtype == bool:
        raise InvalidInputError(f"{name} must hold integers, got dtype {dtype}")
    if kind == "f":
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise InvalidInputError(f"{name} must hold whole numbers, found a fractional or non-finite value")
    if kind != "u" and _extreme(array, largest=False) < 0:
        i = int(np.argmax(array < 0))
        raise InvalidInputError(f"{name}[{i}] = {array[i].item()} is negative")
    largest = _extreme(array, largest=True)
    if largest > MAX_DIM:
        i = int(np.argmax(array > MAX_DIM))
        raise InvalidInputError(f"{name}[{i}] = {array[i].item()} exceeds the limit {MAX_DIM}")
    return array.astype(np.uint32), int(largest)


# Below this many entries a vector's extreme is found by its index (argmin/argmax): there NumPy's
# reduction machinery costs more than the pass itself (a fifth of the time at 256 entries, the
# same at 2^16); above it the reduction streams faster (2^24 uint32: 1.5 against 2.3 ms).
EXTREME_BY_INDEX_BELOW = 2**16


def _extreme(array: np.ndarray, largest: bool) -> int | float:
    """The largest (or smallest) entry of a non-empty vector, as a Python number."""
    if array.size < EXTREME_BY_INDEX_BELOW:
        return array.item(array.argmax() if largest else array.argmin())
    return (np.maximum if largest else np.minimum).reduce(array).item()


def check_degree_pair(s: object, t: object) -> tuple[np.ndarray, np.ndarray]:
    """s (M sources, each 0..E) and t (E targets, each 0..M) as checked uint32 vectors."""
    (s_checked, s_max), (t_checked, t_max) = _checked_degrees(s, "s"), _checked_degrees(t, "t")
    if s_max > t_checked.size:
        check_degree_bound(s_checked, "s", t_checked.size, "E = len(t)")
    if t_max > s_checked.size:
        check_degree_bound(t_checked, "t", s_checked.size, "M = len(s)")
    return s_checked, t_checked


def check_degree_bound(degrees: np.ndarray, name: str, ring: int, ring_name: str) -> None:
    """Every degree is at most the ring size it is laid on."""
    if np.any(degrees > ring):
        i = int(np.argmax(degrees > ring))
        raise InvalidInputError(f"{name}[{i}] = {degrees[i].item()} exceeds {ring_name} = {ring}")

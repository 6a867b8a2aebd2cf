"""Checks and conversions for the argument forms of the original (TSltd/bitpacked_phase_router): a
caller's routes buffer, packed
64-bit words, and permutations. Each refusal is one line naming the argument."""

from __future__ import annotations

from os import PathLike, fspath

import numpy as np

from .._internal.scalars import check_count, show
from .._internal.vectors import as_array
from ..errors import InvalidInputError

WORD_BITS = 64
BLOCK_WORDS = 2**21  # words of a packed matrix examined at once: bounds the scratch to some 50 MiB
POPCOUNT = np.array([bin(byte).count("1") for byte in range(256)], dtype=np.uint8)


def words_per_row(width: int) -> int:
    """The original's NB(N): 64-bit words holding one row of `width` bits."""
    return (width + WORD_BITS - 1) // WORD_BITS


def check_routes_array(routes: object, M: int, k: int, name: str) -> np.ndarray:
    """The caller's buffer the routes are written into, in place: a writeable C-contiguous int32
    NumPy array of shape (M, k). The original wrote M*k ints into whatever memory it was given,
    so a wrong dtype wrote into a temporary copy (the caller's array stayed unchanged) and a
    wrong shape or stride scrambled or overran it; here each of these is refused."""
    if not isinstance(routes, np.ndarray):
        hint = " (for a PyTorch tensor pass tensor.numpy(), which shares its memory)" if hasattr(routes, "numpy") else ""
        raise InvalidInputError(f"{name} must be a NumPy int32 array of shape ({M}, {k}) to write the routes into, "
                                f"got {type(routes).__name__}{hint}")
    problems = []
    if routes.dtype != np.int32:
        problems.append(f"dtype {routes.dtype} (needs int32)")
    if routes.shape != (M, k):
        problems.append(f"shape {routes.shape} (needs ({M}, {k}): one row per source, k slots)")
    if not routes.flags.c_contiguous:
        problems.append("not C-contiguous (use np.ascontiguousarray or np.empty)")
    if not routes.flags.writeable:
        problems.append("read-only")
    if problems:
        raise InvalidInputError(f"{name} cannot hold the routes in place: " + ", ".join(problems))
    return routes


def check_prefix(prefix: object, name: str) -> str:
    """A folder name for the stage pictures: a string or os.PathLike (None means "none")."""
    if prefix is None:
        return ""
    if isinstance(prefix, (str, PathLike)):
        try:
            text = fspath(prefix)
        except TypeError as exc:  # a PathLike whose __fspath__ returns bytes or worse
            raise InvalidInputError(f"{name} must be a folder name (str), got {show(prefix)}") from exc
        if isinstance(text, str) and "\x00" not in text:
            return text
    raise InvalidInputError(f"{name} must be a folder name (str), got {type(prefix).__name__} {show(prefix)}")


def check_packed_words(words: object, name: str, rows_name: str) -> np.ndarray:
    """A 2-D array of 64-bit words, one row per matrix row (the original's pack_bits layout):
    any integer dtype, read as uint64 bit patterns as the original's conversion did."""
    array = as_array(words, name)
    if array.ndim != 2:
        raise InvalidInputError(f"{name} must be 2-D ({rows_name} x words), got a {array.ndim}-D array")
    if array.dtype.kind not in "ui":
        raise InvalidInputError(f"{name} must hold 64-bit words (an integer dtype such as uint64), got dtype {array.dtype}")
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise InvalidInputError(f"{name} has shape {array.shape}; it needs at least one row and one word")
    return np.ascontiguousarray(array.astype(np.uint64, copy=False))


def words_row_degrees(words: np.ndarray, width: int, name: str) -> tuple[np.ndarray, bool]:
    """Ones per row of packed words (bit b of word w is column 64 w + b) and whether every row is
    left-aligned (its ones in columns 0..d-1). Bits at columns >= width are refused: the original
    counted them in its phase offsets and then masked them off, which no row sum describes."""
    if words.shape[1] != words_per_row(width):
        raise InvalidInputError(f"{name} has {words.shape[1]} words per row, but {width} columns need "
                                f"{words_per_row(width)}")
    spare = words.shape[1] * WORD_BITS - width
    if spare:
        beyond = words[:, -1] >> np.uint64(WORD_BITS - spare)
        bad = np.flatnonzero(beyond)
        if bad.size:
            raise InvalidInputError(f"{name} row {int(bad[0])} has bits set beyond column {width - 1} (the last "
                                    f"word may use only its low {WORD_BITS - spare} bits)")
    degrees = np.empty(words.shape[0], dtype=np.int64)
    aligned = True
    positions = np.arange(words.shape[1], dtype=np.int64) * WORD_BITS
    rows_per_block = max(1, BLOCK_WORDS // words.shape[1])
    for start in range(0, words.shape[0], rows_per_block):
        block = words[start:start + rows_per_block]
        counts = POPCOUNT[block.view(np.uint8)].sum(axis=1, dtype=np.int64)  # byte order does not matter here
        degrees[start:start + block.shape[0]] = counts
        if aligned:
            aligned = bool(np.array_equal(block, _left_aligned_words(counts, positions)))
    return degrees, aligned


def _left_aligned_words(degrees: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The words of rows holding degrees[r] ones in columns 0..degrees[r]-1."""
    inside = np.clip(degrees[:, None] - positions[None, :], 0, WORD_BITS)  # ones falling in each word
    full = inside == WORD_BITS
    partial = (np.uint64(1) << np.minimum(inside, WORD_BITS - 1).astype(np.uint64)) - np.uint64(1)
    return np.where(full, np.uint64(2**64 - 1), partial)


def check_permutation(perm: object, n: int, name: str) -> np.ndarray:
    """A permutation of 0..n-1 (1-D, integers, each value once)."""
    array = as_array(perm, name)
    if array.ndim != 1 or array.size != n:
        raise InvalidInputError(f"{name} must be a permutation of 0..{n - 1} (1-D, length {n}), got shape {array.shape}")
    if array.dtype.kind not in "ui":
        raise InvalidInputError(f"{name} must hold integers, got dtype {array.dtype}")
    if array.dtype.kind == "u" and array.dtype.itemsize == 8 and array.size and int(array.max()) >= 2**63:
        raise InvalidInputError(f"{name} must be a permutation of 0..{n - 1}, found {int(array.max())}")
    values = array.astype(np.int64, copy=False)
    seen = np.zeros(n, dtype=bool)
    inside = (values >= 0) & (values < n)
    if not inside.all():
        bad = int(np.flatnonzero(~inside)[0])
        raise InvalidInputError(f"{name} must be a permutation of 0..{n - 1}, found {int(values[bad])} at {bad}")
    seen[values] = True
    if not seen.all():
        raise InvalidInputError(f"{name} must be a permutation of 0..{n - 1}: {int(np.flatnonzero(~seen)[0])} is "
                                "missing (a value repeats)")
    return values


def check_dimension(value: object, name: str, expected: int, meaning: str) -> int:
    """An integer argument the original took separately that must agree with an array's shape."""
    value = check_count(value, name)
    if value != expected:
        raise InvalidInputError(f"{name} = {value} does not match {meaning} ({expected})")
    return value

"""Degree files: the ones per row of S or T, for `route --degrees` (only degrees matter).

Formats: .npy (a 1-D integer array, memory-mapped) or text (.txt, .csv, anything else): one
non-negative integer per line; blank lines and lines starting with '#' are ignored. Bounds
(s_i <= E, t_j <= M) are checked once both files are read.
"""

from __future__ import annotations

import os

import numpy as np

from .._internal.validate import MAX_DIM
from ..errors import FileFormatError
from .files import open_input, read_magic, reads_streams
from .npy import load_npy


MAX_TOKEN = 20  # characters in one degree line, leading zeros included


@reads_streams
def read_degrees(path: str | os.PathLike[str]) -> np.ndarray:
    """The degree vector in a file, as int64, checked to be non-negative integers."""
    if read_magic(path).startswith(b"\x93NUMPY"):
        return _npy_degrees(path)
    return _text_degrees(path)


def _npy_degrees(path) -> np.ndarray:
    array = load_npy(path)
    if array.ndim != 1:
        raise FileFormatError(path, f"expected a 1-D vector of degrees, got a {array.ndim}-D array of shape {array.shape}")
    if array.dtype == bool or array.dtype.kind not in "ui":
        raise FileFormatError(path, f"degrees must be integers, got dtype {array.dtype}")
    if array.size > MAX_DIM:  # before widening to int64, which would cost 8 bytes an entry
        raise FileFormatError(path, f"{array.size} degrees, more than the limit {MAX_DIM}")
    return _checked(path, np.asarray(array, dtype=np.int64), lambda i: f"entry {i}")


def _text_degrees(path) -> np.ndarray:
    with open_input(path) as handle:
        raw = handle.read()
    lines = raw.splitlines()
    kept = [(number, line.strip()) for number, line in enumerate(lines, start=1)
            if line.strip() and not line.lstrip().startswith(b"#")]
    if not kept:
        raise FileFormatError(path, "no degrees found (expected one integer per line)")
    # np.array(tokens) pads every token to the longest one: a single 200 kB line among 20000
    # short ones cost 4 GB. No valid degree (<= 2^31 - 1) needs more than 20 characters.
    for number, token in kept:
        if len(token) > MAX_TOKEN:
            raise FileFormatError(
                path, f"line {number}: {token[:40].decode('latin-1')!r}... ({len(token)} characters) is not a degree"
            )
    tokens = [token for _, token in kept]
    try:
        values = np.array(tokens).astype(np.int64)
    except (ValueError, OverflowError):
        for number, token in kept:  # slow path, only to say which line is wrong
            if not token.isdigit() or len(token) > 12:
                raise FileFormatError(
                    path, f"line {number}: {token[:40].decode('latin-1')!r} is not a non-negative integer"
                ) from None
        raise FileFormatError(path, "could not read the degrees as integers") from None
    line_numbers = [number for number, _ in kept]
    return _checked(path, values, lambda i: f"line {line_numbers[i]}")


def _checked(path, values: np.ndarray, where) -> np.ndarray:
    if values.size == 0:
        raise FileFormatError(path, "no degrees found")
    if values.size > MAX_DIM:
        raise FileFormatError(path, f"{values.size} degrees, more than the limit {MAX_DIM}")
    negative = values < 0
    if negative.any():
        i = int(np.argmax(negative))
        raise FileFormatError(path, f"{where(i)}: degree {values[i]} is negative")
    return values

"""Degree files: the ones per row of S or T, for `route --degrees` (only degrees matter).

Formats: .npy (a 1-D integer array, memory-mapped) or text (.txt, .csv, anything else): one
non-negative integer per line, written in ASCII digits only (no sign, underscore, decimal point
or other script's digits: Python's int() would read "1_0" as 10 and "٣" as 3), with optional
surrounding whitespace; blank lines and lines starting with '#' are ignored. Bounds
(s_i <= E, t_j <= M) are checked once both files are read.
"""

from __future__ import annotations

import os

import numpy as np

from .._internal.scalars import MAX_DIM
from ..errors import FileFormatError
from .files import open_input, read_magic, reads_streams
from .npy import load_npy


MAX_TOKEN = 20  # significant characters in one degree line (leading zeros are only a spelling)


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
    return _checked(path, array, lambda i: f"entry {i}")


def _without_leading_zeros(token: bytes) -> bytes:
    if not token.startswith(b"0"):
        return token
    return token.lstrip(b"0") or b"0"


def _text_degrees(path) -> np.ndarray:
    with open_input(path) as handle:
        raw = handle.read()
    lines = raw.splitlines()
    kept = [(number, line.strip()) for number, line in enumerate(lines, start=1)
            if line.strip() and not line.lstrip().startswith(b"#")]
    if not kept:
        raise FileFormatError(path, "no degrees found (expected one integer per line)")
    # np.array(tokens) pads every token to the longest one: a single 200 kB line among 20000
    # short ones cost 4 GB. No valid degree (<= 2^31 - 1) needs more than 20 characters once its
    # leading zeros are dropped (0000000000000000000000007 is 7, as Netpbm reads header numbers).
    kept = [(number, _without_leading_zeros(token)) for number, token in kept]
    for number, token in kept:
        if len(token) > MAX_TOKEN:
            raise FileFormatError(
                path, f"line {number}: {token[:40].decode('latin-1')!r}... ({len(token)} characters) is not a degree"
            )
    # NumPy's bytes arrays drop trailing NULs, so "7\0" would pass as "7"
    with_nul = next(((n, t) for n, t in kept if b"\0" in t), None) if b"\0" in raw else None
    if with_nul is not None:
        number, token = with_nul
        raise FileFormatError(path, f"line {number}: {_quote(token)} is not a non-negative integer")
    tokens = np.array([token for _, token in kept])
    # bytes.isdigit is ASCII-only: a sign, "_", ".", "٣" or an inner space fails here, where
    # int() (and NumPy's astype, which calls it) would have accepted some of them.
    digits = np.char.isdigit(tokens)
    if not digits.all():
        number, token = kept[int(np.argmin(digits))]
        if token[:1] == b"-" and token[1:].isdigit():
            raise FileFormatError(path, f"line {number}: degree {token.decode()} is negative")
        raise FileFormatError(path, f"line {number}: {_quote(token)} is not a non-negative integer")
    long = np.char.str_len(tokens) > 18  # int64 holds every 18-digit number; longer ones may not fit
    if long.any():
        for number, token in (kept[int(i)] for i in np.flatnonzero(long)):
            if int(token) > MAX_DIM:
                raise FileFormatError(path, f"line {number}: degree {_quote(token)} exceeds the limit {MAX_DIM}")
        tokens = np.array([token.lstrip(b"0") or b"0" for _, token in kept])
    values = tokens.astype(np.int64)
    line_numbers = [number for number, _ in kept]
    return _checked(path, values, lambda i: f"line {line_numbers[i]}")


def _quote(token: bytes) -> str:
    return repr(token[:40].decode("latin-1"))


def _checked(path, values: np.ndarray, where) -> np.ndarray:
    """Non-negative and at most 2^31 - 1, compared in the file's own integer dtype (a uint64
    2^64 - 1 is too large, not "-1"), then as int64."""
    if values.size == 0:
        raise FileFormatError(path, "no degrees found")
    if values.size > MAX_DIM:
        raise FileFormatError(path, f"{values.size} degrees, more than the limit {MAX_DIM}")
    if values.dtype.kind == "i":
        negative = values < 0
        if negative.any():
            i = int(np.argmax(negative))
            raise FileFormatError(path, f"{where(i)}: degree {values[i].item()} is negative")
    too_large = values > MAX_DIM
    if too_large.any():
        i = int(np.argmax(too_large))
        raise FileFormatError(path, f"{where(i)}: degree {values[i].item()} exceeds the limit {MAX_DIM}")
    return np.asarray(values, dtype=np.int64)

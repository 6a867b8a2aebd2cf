"""Choosing a reader by the file's magic bytes (falling back to its extension)."""

from __future__ import annotations

import os

import numpy as np

from ..errors import FileFormatError
from .files import read_magic, reads_streams
from .npy import npy_row_degrees, read_npy_matrix
from .pbm import pbm_row_degrees, read_pbm


@reads_streams
def detect_format(path: str | os.PathLike[str]) -> str:
    """'pbm' or 'npy'."""
    magic = read_magic(path)
    if magic.startswith(b"\x93NUMPY"):
        return "npy"
    if magic[:2] in (b"P1", b"P4"):
        return "pbm"
    if magic[:1] == b"P" and magic[1:2].isdigit():
        raise FileFormatError(path, f"unsupported Netpbm format {magic[:2].decode()}: only PBM P1 and P4")
    if not magic:
        raise FileFormatError(path, "file is empty")
    raise FileFormatError(path, f"not a PBM (P1/P4) or NPY file (starts with {magic!r})")


@reads_streams
def read_row_degrees(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row of a 0/1 matrix file, and its shape, without holding the whole matrix."""
    return pbm_row_degrees(path) if detect_format(path) == "pbm" else npy_row_degrees(path)


@reads_streams
def read_matrix(path: str | os.PathLike[str]) -> np.ndarray:
    """A 0/1 matrix file as a bool array."""
    return read_pbm(path) if detect_format(path) == "pbm" else read_npy_matrix(path)

"""A matrix file's shape from its header alone, to check sizes before reading the data."""

from __future__ import annotations

import os

from ..errors import FileFormatError
from .matrix_files import detect_format
from .npy import load_npy
from .pbm import read_header


def matrix_file_shape(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(rows, columns) of a PBM or NPY 0/1 matrix; an NPY is memory-mapped, not read."""
    if detect_format(path) == "pbm":
        header = read_header(path)
        return header.height, header.width
    array = load_npy(path)
    if array.ndim != 2:
        raise FileFormatError(path, f"expected a 2-D 0/1 matrix, got a {array.ndim}-D array of shape {array.shape}")
    return int(array.shape[0]), int(array.shape[1])

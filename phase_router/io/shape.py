"""A matrix file's shape from its header alone, to check sizes before reading the data."""

from __future__ import annotations

import os

from .files import reads_streams
from .matrix_files import detect_format
from .npy import npy_matrix_shape
from .pbm import read_header


@reads_streams
def matrix_file_shape(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(rows, columns) of a PBM or NPY 0/1 matrix, from its header (the data is not read)."""
    if detect_format(path) == "pbm":
        header = read_header(path)
        return header.height, header.width
    return npy_matrix_shape(path)

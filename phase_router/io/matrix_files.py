"""Choosing a matrix reader by the file's magic bytes (io/matrix_formats registers the formats)."""

from __future__ import annotations

import os

import numpy as np

from .files import reads_streams
from .matrix_formats import format_of


@reads_streams
def detect_format(path: str | os.PathLike[str]) -> str:
    """The registered format's name: 'pbm', 'npy', 'npz'."""
    return format_of(path).name


@reads_streams
def read_row_degrees(path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
    """Ones per row of a 0/1 matrix file, and its shape, without holding the whole matrix."""
    return format_of(path).row_degrees(path)


@reads_streams
def read_matrix(path: str | os.PathLike[str]) -> np.ndarray:
    """A 0/1 matrix file as a bool array."""
    return format_of(path).read_bool(path)


@reads_streams
def read_weight_matrix(path: str | os.PathLike[str]) -> np.ndarray:
    """A matrix of non-negative weights as float64: an NPY of any real dtype, or any matrix file
    of 0/1 values (weights 0 and 1)."""
    return format_of(path).read_weights(path)

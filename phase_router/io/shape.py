"""A matrix file's shape from its header alone, to check sizes before reading the data; and the
layout (format, shape, data bytes) of matrix and degree files, for the memory estimates."""

from __future__ import annotations

import os

from ..errors import PhaseRouterError
from .files import read_magic, reads_streams
from .matrix_formats import FileLayout, format_of
from .npy import read_npy_header


@reads_streams
def matrix_file_shape(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(rows, columns) of a 0/1 matrix file of any registered format, from its header (the data
    is not read)."""
    rows, cols = matrix_file_layout(path).shape
    return rows, cols


def matrix_file_layout(path: str | os.PathLike[str]) -> FileLayout:
    """A checked matrix file's layout from its header (the header checks run here)."""
    return format_of(path).layout(path)


def degree_file_layout(path: str | os.PathLike[str]) -> FileLayout:
    """A degree file's layout: an .npy's declared shape and dtype (nothing mapped or widened), or
    a text file's size. A malformed header is left to the reader, which names the problem."""
    if read_magic(path).startswith(b"\x93NUMPY"):
        try:
            header = read_npy_header(path)  # the header only; its length is checked against the file first
        except PhaseRouterError:
            return FileLayout("npy", (), 0, 0)
        return FileLayout("npy", header.shape, header.dtype.itemsize, header.data_bytes)
    return FileLayout("text", (_count_lines(path),), 0, os.stat(path).st_size)


def _count_lines(path, chunk: int = 16 * 2**20) -> int:
    """Lines of a text file, counted in bounded chunks (a last line without a newline counts)."""
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


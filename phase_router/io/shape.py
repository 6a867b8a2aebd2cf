"""A matrix file's shape from its header alone, to check sizes before reading the data; and the
layout (format, shape, data bytes) of matrix and degree files, for the memory estimates."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import PhaseRouterError
from .files import read_magic, reads_streams
from .matrix_files import detect_format
from .npy import npy_matrix_header, npy_matrix_shape, read_npy_header
from .pbm import read_header


@dataclass(frozen=True)
class FileLayout:
    fmt: str  # "P1", "P4", "npy" or "text"
    shape: tuple[int, ...]  # as declared by the header (text: (lines,))
    itemsize: int  # bytes per NPY element (PBM and text: 0)
    data_bytes: int  # raster or array bytes as stored (text: the file size)


@reads_streams
def matrix_file_shape(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(rows, columns) of a PBM or NPY 0/1 matrix, from its header (the data is not read)."""
    if detect_format(path) == "pbm":
        header = read_header(path)
        return header.height, header.width
    return npy_matrix_shape(path)


def matrix_file_layout(path: str | os.PathLike[str]) -> FileLayout:
    """A checked matrix file's layout from its header (the header checks run here)."""
    if detect_format(path) == "pbm":
        header = read_header(path)
        return FileLayout(header.kind, (header.height, header.width), 0, header.file_size - header.data_offset)
    header = npy_matrix_header(path)  # read once: the 2-D and size checks, the shape and the dtype
    return FileLayout("npy", header.shape, header.dtype.itemsize, header.data_bytes)


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


"""NPY (a 2-D bool, integer or float 0/1 array) as a matrix format; the readers are io/npy.py's."""

from __future__ import annotations

import io
import os

import numpy as np

from ..npy import (BLOCK_BYTES, CHUNK_BYTES, MAGIC, READ_THREADS, npy_matrix_header, npy_row_degrees, read_npy_matrix,
                   read_npy_weights)
from .base import FileLayout, MatrixFormat, RowChunk


class NpyFormat(MatrixFormat):
    name = "npy"
    label = "NPY"
    extensions = (".npy",)
    writable = True  # as uint8, exactly np.save's bytes

    def claims(self, path, magic: bytes) -> bool:
        return magic.startswith(MAGIC)

    def layout(self, path) -> FileLayout:
        header = npy_matrix_header(path)  # read once: the 2-D and size checks, the shape and the dtype
        return FileLayout("npy", header.shape, header.dtype.itemsize, header.data_bytes)

    def row_degrees(self, path):
        return npy_row_degrees(path)

    def read_bool(self, path) -> np.ndarray:
        return read_npy_matrix(path)

    def read_weights(self, path) -> np.ndarray:
        return read_npy_weights(path)

    def degrees_peak_bytes(self, layout: FileLayout) -> int:
        """A few C++ threads read at once, each into its own buffer of at most CHUNK_BYTES, or
        the NumPy path's two buffers of about BLOCK_BYTES (whole rows); the degrees are uint32."""
        rows = layout.shape[0]
        return self._buffers_bytes(layout) + 4 * rows

    def whole_peak_bytes(self, layout: FileLayout) -> int:
        """The bool matrix, and the buffers the reads go through on the way (none for one-byte
        C-order data, read straight into the matrix)."""
        rows, cols = layout.shape
        return rows * cols + self._buffers_bytes(layout)

    @staticmethod
    def _buffers_bytes(layout: FileLayout) -> int:
        """At most: the C++ threads' chunks or the NumPy path's two blocks, whichever is larger
        (the layout does not say which path reads the file)."""
        line_bytes = layout.data_bytes // max(layout.shape[0], 1)
        threads = min(READ_THREADS, os.cpu_count() or 1)
        return max(threads * min(layout.data_bytes, CHUNK_BYTES),
                   2 * min(layout.data_bytes, max(BLOCK_BYTES, line_bytes)))

    def chunk_header(self, rows: int, cols: int) -> bytes:
        buffer = io.BytesIO()  # np.save's own header for a C-order uint8 array of this shape
        np.lib.format.write_array_header_1_0(buffer, {"descr": "|u1", "fortran_order": False, "shape": (rows, cols)})
        return buffer.getvalue()

    def encode_rows(self, rows: RowChunk) -> memoryview:
        if isinstance(rows, np.ndarray):
            return memoryview(np.ascontiguousarray(rows).view(np.uint8)).cast("B")
        return memoryview(rows.unpack().view(np.uint8)).cast("B")


FORMAT = NpyFormat()

"""NPY (a 2-D bool, integer or float 0/1 array) as a matrix format; the readers are io/npy.py's."""

from __future__ import annotations

import io
import os

import numpy as np

from ..npy import CHUNK_BYTES, MAGIC, READ_THREADS, npy_matrix_header, npy_row_degrees, read_npy_matrix, read_npy_weights
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
        """A few threads read at once, each into its own buffer of about CHUNK_BYTES (whole
        rows); the degrees are uint32."""
        rows = layout.shape[0]
        row_bytes = layout.data_bytes // max(rows, 1)
        buffer = min(layout.data_bytes, max(CHUNK_BYTES, row_bytes))
        return min(READ_THREADS, os.cpu_count() or 1) * buffer + 4 * rows

    def whole_peak_bytes(self, layout: FileLayout) -> int:
        """Two alternating buffers of about CHUNK_BYTES (whole rows) read into the bool matrix."""
        rows, cols = layout.shape
        line_bytes = layout.data_bytes // max(rows, 1)
        return rows * cols + 2 * min(layout.data_bytes, max(CHUNK_BYTES, line_bytes))

    def chunk_header(self, rows: int, cols: int) -> bytes:
        buffer = io.BytesIO()  # np.save's own header for a C-order uint8 array of this shape
        np.lib.format.write_array_header_1_0(buffer, {"descr": "|u1", "fortran_order": False, "shape": (rows, cols)})
        return buffer.getvalue()

    def encode_rows(self, rows: RowChunk) -> memoryview:
        if isinstance(rows, np.ndarray):
            return memoryview(np.ascontiguousarray(rows).view(np.uint8)).cast("B")
        return memoryview(rows.unpack().view(np.uint8)).cast("B")


FORMAT = NpyFormat()

"""PBM (Netpbm bitmap) as a matrix format: P1 (plain text) and P4 (raw bits) are its two variants;
the readers and the header parser are io/pbm.py's."""

from __future__ import annotations

import numpy as np

from ...errors import FileFormatError
from ..pbm import CHUNK_BYTES, _clear_padding, pbm_row_degrees, read_header, read_pbm
from .base import FileLayout, MatrixFormat, RowChunk


class PbmFormat(MatrixFormat):
    name = "pbm"
    label = "PBM (P1/P4)"
    extensions = (".pbm",)
    writable = True  # as P4

    def claims(self, path, magic: bytes) -> bool:
        if magic[:2] in (b"P1", b"P4"):
            return True
        if magic[:1] == b"P" and magic[1:2].isdigit():
            raise FileFormatError(path, f"unsupported Netpbm format {magic[:2].decode()}: only PBM P1 and P4")
        return False

    def layout(self, path) -> FileLayout:
        header = read_header(path)
        return FileLayout(header.kind, (header.height, header.width), 0, header.file_size - header.data_offset)

    def row_degrees(self, path):
        return pbm_row_degrees(path)

    def read_bool(self, path) -> np.ndarray:
        return read_pbm(path)

    def degrees_peak_bytes(self, layout: FileLayout) -> int:
        """P4 and P1 stream in chunks of CHUNK_BYTES, and a chunk is still referenced while the
        next is read (two at once); the degrees are uint32."""
        rows = layout.shape[0]
        return 2 * min(CHUNK_BYTES, layout.data_bytes) + 4 * rows

    def whole_peak_bytes(self, layout: FileLayout) -> int:
        """P4: the packed rows, unpacked to uint8, then bool. P1: parsed chunk by chunk into the
        bool matrix (a chunk's text and its masks)."""
        rows, cols = layout.shape
        cells = rows * cols
        if layout.fmt == "P4":
            return layout.data_bytes + 2 * cells
        return cells + 4 * min(CHUNK_BYTES, layout.data_bytes)

    def chunk_header(self, rows: int, cols: int) -> bytes:
        return f"P4\n{cols} {rows}\n".encode()

    def encode_rows(self, rows: RowChunk) -> memoryview:
        if isinstance(rows, np.ndarray):
            return memoryview(np.packbits(rows, axis=1)).cast("B")
        return memoryview(np.ascontiguousarray(_clear_padding(rows))).cast("B")


FORMAT = PbmFormat()

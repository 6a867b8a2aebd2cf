"""What a matrix file format declares: how to recognise it, its layout from the header, its two
readers (row degrees streamed, the whole matrix as bool), the peak memory of each (for
`--max-memory`, from the layout alone), and, for formats `gen` can write, the chunk encoder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar, Union

import numpy as np

from ...packed_bits import PackedBits


@dataclass(frozen=True)
class FileLayout:
    fmt: str  # the variant: "P1", "P4", "npy", "npz-csr", ... ("text" for degree files)
    shape: tuple[int, ...]  # as declared by the header (text: (lines,))
    itemsize: int  # bytes per stored element (PBM and text: 0)
    data_bytes: int  # raster or array bytes as stored (text: the file size)


RowChunk = Union[np.ndarray, PackedBits]  # a bool 2-D array, or packed rows


class MatrixFormat:
    """One matrix file format. Subclasses set the class attributes and the methods they support;
    a format `gen` cannot write leaves `writable` False."""

    name: ClassVar[str]  # as in detect_format() and write_matrix_chunks(fmt=...)
    label: ClassVar[str]  # in help texts and in "not a ... file"
    extensions: ClassVar[tuple[str, ...]] = ()  # lower case, with the dot; gen picks a writer by these
    writable: ClassVar[bool] = False

    def claims(self, path: str | os.PathLike[str], magic: bytes) -> bool:
        """Whether the file's first bytes are this format's. May raise FileFormatError for a near
        miss only this format can name (a Netpbm P6 is not a PBM)."""
        raise NotImplementedError

    def layout(self, path: str | os.PathLike[str]) -> FileLayout:
        """The checked header: shape (rows, columns) and stored sizes; the data is not read."""
        raise NotImplementedError

    def row_degrees(self, path: str | os.PathLike[str]) -> tuple[np.ndarray, tuple[int, int]]:
        """Ones per row and the shape, streamed: never the whole matrix in memory."""
        raise NotImplementedError

    def read_bool(self, path: str | os.PathLike[str]) -> np.ndarray:
        """The whole 0/1 matrix as a bool array."""
        raise NotImplementedError

    def read_weights(self, path: str | os.PathLike[str]) -> np.ndarray:
        """The whole matrix as non-negative float64 weights; a format of 0/1 values gives 0 and 1."""
        return self.read_bool(path).astype(np.float64)

    def degrees_peak_bytes(self, layout: FileLayout) -> int:
        """Bytes row_degrees holds at its peak, from the layout alone."""
        raise NotImplementedError

    def whole_peak_bytes(self, layout: FileLayout) -> int:
        """Bytes read_bool holds at its peak (the bool matrix included), from the layout alone."""
        raise NotImplementedError

    # --- writing, for formats with writable = True (io.matrix_writer) -------------------------

    def chunk_header(self, rows: int, cols: int) -> bytes:
        raise NotImplementedError

    def encode_rows(self, rows: RowChunk) -> memoryview:
        """The bytes of checked 0/1 rows (bool array or PackedBits) as they follow the header."""
        raise NotImplementedError

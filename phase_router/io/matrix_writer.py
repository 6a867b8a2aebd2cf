"""Writing a 0/1 matrix row chunk by row chunk (a writable registered format: P4 PBM or NPY), so
memory stays one chunk deep whatever the shape: a generator yields chunks of rows, this writes each
as it arrives.

The file is staged and renamed into place only when every promised row has been written
(atomic_output), so a failing generator or a wrong row count never leaves a partial file.
The bytes are exactly write_pbm's (P4) and np.save's (NPY, uint8) for the same matrix.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .._internal.matrix_degrees import matrix_row_degrees
from .._internal.scalars import check_count
from ..packed_bits import PackedBits
from ..errors import InvalidInputError
from .atomic import OutputBatch, atomic_output
from .matrix_formats import MatrixFormat, writable_formats, writer_named

FORMATS = writable_formats()
CHUNK_BYTES = 16 * 2**20  # default budget of one unpacked bool chunk


@dataclass(frozen=True)
class WrittenMatrix:
    """What write_matrix_chunks wrote: shape, ones (for summaries), file bytes and time taken."""

    path: str
    rows: int
    cols: int
    ones: int
    bytes: int
    seconds: float

    @property
    def megabytes_per_second(self) -> float:
        return self.bytes / 2**20 / self.seconds if self.seconds > 0 else float("inf")


def chunk_rows(cols: int, budget_bytes: int = CHUNK_BYTES) -> int:
    """Rows per chunk so that one unpacked bool chunk of `cols` columns fits in budget_bytes."""
    cols = check_count(cols, "cols")
    budget_bytes = check_count(budget_bytes, "budget_bytes", maximum=2**62)
    return max(1, budget_bytes // max(1, cols))


def write_matrix_chunks(path: str | os.PathLike[str], shape: tuple[int, int], chunks: Iterable[object], *,
                        fmt: str = "pbm", batch: OutputBatch | None = None) -> WrittenMatrix:
    """Write a rows x cols 0/1 matrix given as consecutive row chunks, each a 2-D 0/1 array
    (bool, integer or float) of `cols` columns or a PackedBits of width `cols`.

    fmt: a writable format's name, "pbm" (P4, 1 bit per entry) or "npy" (uint8). The chunks must
    add up to exactly `rows` rows; values other than 0/1, a wrong width or a wrong total raise
    InvalidInputError naming the file, and nothing is written. With `batch`, the file joins it (several files, all or
    none)."""
    rows, cols = (check_count(side, name) for side, name in zip(shape, ("rows", "cols")))
    writer = writer_named(fmt)
    started = time.perf_counter()
    written, ones, size = 0, 0, 0
    with atomic_output(path, batch) as out:
        size += out.write(writer.chunk_header(rows, cols))
        for chunk in chunks:
            data, count, chunk_ones = _encode(path, chunk, cols, writer, written)
            if written + count > rows:
                raise InvalidInputError(f"{os.fspath(path)}: the chunks hold more than the {rows} rows of the shape")
            size += out.write(data)
            written += count
            ones += chunk_ones
        if written != rows:
            raise InvalidInputError(f"{os.fspath(path)}: the chunks hold {written} rows, the shape says {rows}")
    return WrittenMatrix(os.fspath(path), rows, cols, ones, size, time.perf_counter() - started)


def _encode(path, chunk: object, cols: int, writer: MatrixFormat, first_row: int) -> tuple[memoryview, int, int]:
    """(bytes to write, rows, ones) of one chunk, checked."""
    where = f"{os.fspath(path)}: chunk at row {first_row}"
    if isinstance(chunk, PackedBits):
        if chunk.width != cols:
            raise InvalidInputError(f"{where} has width {chunk.width}, the shape says {cols}")
        if chunk.shape[0] == 0:
            return memoryview(b""), 0, 0
        degrees, _ = matrix_row_degrees(chunk, where)
        return writer.encode_rows(chunk), chunk.shape[0], int(degrees.sum())
    array = np.asarray(chunk)
    if array.ndim != 2 or array.shape[1] != cols:
        raise InvalidInputError(f"{where} has shape {array.shape}, expected (rows, {cols})")
    if array.shape[0] == 0:
        return memoryview(b""), 0, 0
    degrees, _ = matrix_row_degrees(array, where)  # the 0/1 check and the ones, in one C++ pass
    bits = array if array.dtype == bool else array != 0
    return writer.encode_rows(bits), array.shape[0], int(degrees.sum())

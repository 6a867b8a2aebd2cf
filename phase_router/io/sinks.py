"""Routes written chunk by chunk, in row order, into staged files of an OutputBatch, so a routing
larger than memory goes to disk without ever being one array."""

from __future__ import annotations

import contextlib
import os

import numpy as np

from .atomic import OutputBatch, output_batch
from .output_formats import route_format, routing_matrix


class NpySink:
    """An .npy of shape (M, k) int32: the header first, then rows as they come (in row order).

    Plain writes, not a memory map: when the disk filled up, stores into a mapped file raised
    SIGBUS and killed the process with a partial file left behind; a write() fails with ENOSPC,
    an OSError the CLI reports in one line after discarding the staged file."""

    def __init__(self, path: str | os.PathLike[str], M: int, k: int, batch: OutputBatch) -> None:
        self._handle = batch.open(path)
        header = {"descr": np.lib.format.dtype_to_descr(np.dtype("<i4")), "fortran_order": False, "shape": (M, k)}
        np.lib.format.write_array_header_1_0(self._handle, header)  # what np.save writes for this shape

    def write(self, first_row: int, routes: np.ndarray) -> None:
        # the array's own buffer: .tobytes() would copy the whole chunk (64 MiB by default) first
        self._handle.write(memoryview(np.ascontiguousarray(routes, dtype="<i4")).cast("B"))

    def close(self) -> None:
        self._handle.close()


class CsvSink:
    """One line per source row, comma-separated, -1 padded."""

    def __init__(self, path: str | os.PathLike[str], batch: OutputBatch) -> None:
        self._handle = batch.open(path)

    def write(self, first_row: int, routes: np.ndarray) -> None:
        np.savetxt(self._handle, routes, fmt="%d", delimiter=",")

    def close(self) -> None:
        self._handle.close()


class PbmSink:
    """The routing matrix O (M x E) as P4, packed rows appended chunk by chunk."""

    def __init__(self, path: str | os.PathLike[str], M: int, E: int, batch: OutputBatch) -> None:
        self._E = E
        self._handle = batch.open(path)
        self._handle.write(f"P4\n{E} {M}\n".encode())

    def write(self, first_row: int, routes: np.ndarray) -> None:
        self._handle.write(np.ascontiguousarray(routing_matrix(routes, self._E).bits).tobytes())

    def close(self) -> None:
        self._handle.close()


def routes_sink(path: str | os.PathLike[str], M: int, k: int, batch: OutputBatch) -> NpySink | CsvSink:
    return NpySink(path, M, k, batch) if route_format(path) == ".npy" else CsvSink(path, batch)


def write_routes(path: str | os.PathLike[str], routes: np.ndarray, batch: OutputBatch | None = None) -> None:
    """All routes at once (.npy or .csv, int32), atomically or as part of `batch`."""
    _write_one_chunk(lambda b: routes_sink(path, routes.shape[0], routes.shape[1], b), routes, batch)


def write_routing_pbm(path: str | os.PathLike[str], routes: np.ndarray, E: int,
                      batch: OutputBatch | None = None) -> None:
    """The routing matrix O (M x E) as P4, atomically or as part of `batch`."""
    _write_one_chunk(lambda b: PbmSink(path, routes.shape[0], E, b), routes, batch)


def _write_one_chunk(make_sink, routes: np.ndarray, batch: OutputBatch | None) -> None:
    """The streaming writers with a single chunk: one code path per format."""
    with contextlib.nullcontext(batch) if batch is not None else output_batch() as target:
        sink = make_sink(target)
        try:
            sink.write(0, routes)
        finally:
            sink.close()

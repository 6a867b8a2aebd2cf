"""Routes written chunk by chunk, in row order, into staged files of an OutputBatch, so a routing
larger than memory goes to disk without ever being one array."""

from __future__ import annotations

import os

import numpy as np

from .atomic import OutputBatch
from .routes_out import route_format, routing_matrix


class NpySink:
    """An .npy of shape (M, k) int32: header first (np.lib.format.open_memmap), rows as they come."""

    def __init__(self, path: str | os.PathLike[str], M: int, k: int, batch: OutputBatch) -> None:
        self._array = np.lib.format.open_memmap(batch.path(path), mode="w+", dtype=np.int32, shape=(M, k))

    def write(self, first_row: int, routes: np.ndarray) -> None:
        self._array[first_row : first_row + routes.shape[0]] = routes

    def close(self) -> None:
        self._array.flush()
        del self._array


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

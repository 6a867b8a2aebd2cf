"""--out: the routes themselves (M x k int32, -1 padded), as .npy or .csv."""

from __future__ import annotations

import os

import numpy as np

from ..atomic import OutputBatch
from .base import OutputOption, RouteSink


class NpyRoutesSink(RouteSink):
    """An .npy of shape (M, k) int32: the header first, then rows as they come (in row order).

    Plain writes, not a memory map: when the disk filled up, stores into a mapped file raised
    SIGBUS and killed the process with a partial file left behind; a write() fails with ENOSPC,
    an OSError the CLI reports in one line after discarding the staged file."""

    extensions = (".npy",)

    def __init__(self, path: str | os.PathLike[str], batch: OutputBatch, *, M: int, k: int, E: int) -> None:  # noqa: N803
        self._handle = batch.open(path)
        header = {"descr": np.lib.format.dtype_to_descr(np.dtype("<i4")), "fortran_order": False, "shape": (M, k)}
        np.lib.format.write_array_header_1_0(self._handle, header)  # what np.save writes for this shape

    def write(self, first_row: int, routes: np.ndarray) -> None:
        # the array's own buffer: .tobytes() would copy the whole chunk (64 MiB by default) first
        self._handle.write(memoryview(np.ascontiguousarray(routes, dtype="<i4")).cast("B"))

    def close(self) -> None:
        self._handle.close()


class CsvRoutesSink(RouteSink):
    """One line per source row, comma-separated, -1 padded."""

    extensions = (".csv",)

    def __init__(self, path: str | os.PathLike[str], batch: OutputBatch, *, M: int, k: int, E: int) -> None:  # noqa: N803
        self._handle = batch.open(path)

    def write(self, first_row: int, routes: np.ndarray) -> None:
        np.savetxt(self._handle, routes, fmt="%d", delimiter=",")

    def close(self) -> None:
        self._handle.close()

    @classmethod
    def scratch_bytes(cls, rows: int, k: int, E: int) -> int:  # noqa: N803
        """np.savetxt formats one row at a time: a row's text."""
        return 12 * k


OUTPUT = OutputOption(
    "routes", "--out",
    "Write routes (M x k int32, -1 padded) to .npy or .csv; - for stdout (CSV, or --out-format npy).",
    (NpyRoutesSink, CsvRoutesSink), what="routes",
    stream_format_option="--out-format",
    stream_format_help="Format of --out - (default csv); files take theirs from the extension.",
    stream_default=".csv",
)

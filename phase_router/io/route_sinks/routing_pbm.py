"""--pbm: the routing matrix O (M x E, bit (i, j) set iff j is among row i's routes) as P4."""

from __future__ import annotations

import os

import numpy as np

from ..atomic import OutputBatch
from ..output_formats import routing_matrix
from .base import OutputOption, RouteSink


class PbmRoutingSink(RouteSink):
    """The routing matrix O (M x E) as P4, packed rows appended chunk by chunk."""

    def __init__(self, path: str | os.PathLike[str], batch: OutputBatch, *, M: int, k: int, E: int) -> None:  # noqa: N803
        self._E = E
        self._handle = batch.open(path)
        self._handle.write(f"P4\n{E} {M}\n".encode())

    def write(self, first_row: int, routes: np.ndarray) -> None:
        self._handle.write(np.ascontiguousarray(routing_matrix(routes, self._E).bits).tobytes())

    def close(self) -> None:
        self._handle.close()

    @classmethod
    def scratch_bytes(cls, rows: int, k: int, E: int) -> int:  # noqa: N803
        """The chunk's packed rows, np.nonzero's int64 index pairs, the int64 targets and the bit masks."""
        return rows * ((E + 7) // 8 + 41 * k)


OUTPUT = OutputOption("routing pbm", "--pbm", "Write the routing matrix O (M x E) as a P4 PBM; - for stdout.",
                      (PbmRoutingSink,))

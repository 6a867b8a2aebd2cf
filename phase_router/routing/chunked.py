"""Routing written to files chunk by chunk: bounded memory for any M, the same bytes as routing
everything at once (row ranges equal slices of the full routing)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..io.route_sinks import RouteSink
from .router import PreparedCandidates
from .stats import LoadTotals

DEFAULT_CHUNK_BYTES = 64 * 2**20  # routes held in memory at once


def rows_per_chunk(k: int, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> int:
    return max(1, chunk_bytes // (4 * k))


def route_to_files(router: PreparedCandidates, chunks: Iterable[tuple[int, np.ndarray]],
                   sinks: Sequence[RouteSink]) -> LoadTotals:
    """Write every chunk (first row, routes), which must come in row order and cover all M rows,
    to each open sink (io/route_sinks; the caller closes them); return the load totals for the
    statistics."""
    totals = LoadTotals.empty(router.E)
    expected = 0
    for first, routes in chunks:
        if first != expected:
            raise RuntimeError(f"chunk starting at row {first} arrived, expected row {expected}")
        for sink in sinks:
            sink.write(first, routes)
        totals.add(routes)
        expected = first + routes.shape[0]
        del routes  # else this chunk stays alive while the next one is routed: two chunks at once
    if expected != router.M:
        raise RuntimeError(f"chunks covered {expected} of {router.M} rows")
    return totals

"""Routing written to files chunk by chunk: bounded memory for any M, the same bytes as routing
everything at once (row ranges equal slices of the full routing)."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from ..io.atomic import OutputBatch
from ..io.sinks import PbmSink, routes_sink
from .router import Router
from .stats import LoadTotals

DEFAULT_CHUNK_BYTES = 64 * 2**20  # routes held in memory at once


def rows_per_chunk(k: int, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> int:
    return max(1, chunk_bytes // (4 * k))


def route_to_files(router: Router, chunks: Iterable[tuple[int, np.ndarray]], batch: OutputBatch, *,
                   out: str | os.PathLike[str] | None = None,
                   pbm: str | os.PathLike[str] | None = None) -> LoadTotals:
    """Write every chunk (first row, routes), which must come in row order and cover all M rows,
    to the staged outputs of `batch`; return the load totals for the statistics."""
    sinks = []
    if out is not None:
        sinks.append(routes_sink(out, router.M, router.k, batch))
    if pbm is not None:
        sinks.append(PbmSink(pbm, router.M, router.E, batch))
    totals = LoadTotals.empty(router.E)
    expected = 0
    try:
        for first, routes in chunks:
            if first != expected:
                raise RuntimeError(f"chunk starting at row {first} arrived, expected row {expected}")
            for sink in sinks:
                sink.write(first, routes)
            totals.add(routes)
            expected = first + routes.shape[0]
            del routes  # else this chunk stays alive while the next one is routed: two chunks at once
    finally:
        for sink in sinks:
            sink.close()
    if expected != router.M:
        raise RuntimeError(f"chunks covered {expected} of {router.M} rows")
    return totals

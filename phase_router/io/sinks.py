"""Routes written all at once, through the same sinks that write them chunk by chunk (one code
path per format; io/route_sinks has the sinks)."""

from __future__ import annotations

import contextlib
import os

import numpy as np

from .atomic import OutputBatch, output_batch
from .route_sinks import ROUTE_OUTPUTS
from .route_sinks.routing_pbm import PbmRoutingSink


def write_routes(path: str | os.PathLike[str], routes: np.ndarray, batch: OutputBatch | None = None) -> None:
    """All routes at once (.npy or .csv, int32), atomically or as part of `batch`."""
    sink = ROUTE_OUTPUTS["routes"].sink_for(path)
    _write_one_chunk(lambda b: sink(path, b, M=routes.shape[0], k=routes.shape[1], E=0), routes, batch)


def write_routing_pbm(path: str | os.PathLike[str], routes: np.ndarray, E: int,
                      batch: OutputBatch | None = None) -> None:
    """The routing matrix O (M x E) as P4, atomically or as part of `batch`."""
    _write_one_chunk(lambda b: PbmRoutingSink(path, b, M=routes.shape[0], k=0, E=E), routes, batch)


def _write_one_chunk(make_sink, routes: np.ndarray, batch: OutputBatch | None) -> None:
    """The streaming writers with a single chunk."""
    with contextlib.nullcontext(batch) if batch is not None else output_batch() as target:
        sink = make_sink(target)
        try:
            sink.write(0, routes)
        finally:
            sink.close()

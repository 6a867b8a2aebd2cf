"""A routing's output formats: the route file extension rule, stats as JSON, and O as packed bits
(the writers themselves are the sinks in io/route_sinks)."""

from __future__ import annotations

import os

import numpy as np

from .._internal.memory import check_fits
from .._internal.routes import check_routes
from .._internal.scalars import check_count
from ..packed_bits import PackedBits
from .atomic import OutputBatch, atomic_output

def route_format(path: str | os.PathLike[str]) -> str:
    """'.npy' or '.csv', from the extension; anything else is refused before any work starts.
    "-" (stdout) has the format its StreamPath carries, CSV by default."""
    from .route_sinks import ROUTE_OUTPUTS

    return ROUTE_OUTPUTS["routes"].sink_for(path).extensions[0]


def write_json(path: str | os.PathLike[str], payload: dict, batch: OutputBatch | None = None) -> None:
    import json  # here: a run that writes no JSON need not load it (start-up)

    with atomic_output(path, batch) as out:
        out.write(json.dumps(payload, indent=2, sort_keys=True).encode() + b"\n")


def routing_matrix(routes: np.ndarray, E: int) -> PackedBits:
    """O after selection as packed bits: bit (i, j) set iff j is among routes[i]."""
    E = check_count(E, "E")
    routes = check_routes(routes, E)
    check_fits(routes.shape[0] * ((E + 7) // 8), f"the routing matrix ({routes.shape[0]} x {E} bits)",
               "write the routes instead")
    M = routes.shape[0]
    packed = np.zeros((M, (E + 7) // 8), dtype=np.uint8)
    rows, slots = np.nonzero(routes >= 0)
    targets = routes[rows, slots].astype(np.int64)
    np.bitwise_or.at(packed, (rows, targets >> 3), (0x80 >> (targets & 7)).astype(np.uint8))
    return PackedBits(packed, E)

"""The hash router: each source takes its targets by keyed hash, uniformly over [0, E) or in
proportion to t_j. Stateless like the phase router, and the fair comparator, since phase loads
follow t_j (docs/BASELINES.md)."""

from __future__ import annotations

import time

from .. import _core
from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .._internal.threads import check_threads
from ..routing.api import Routing
from .counts import as_routing, checked_inputs


def hash_route(s, t, k: int, *, seed: int = 0, weighted: bool = False, counts=None,
               threads: int | None = None) -> Routing:
    """Source i takes counts[i] distinct targets by keyed hash: uniform over [0, E), or with
    probability proportional to t_j (sampling without replacement). Degrees as for
    ``route_degrees``; only t matters for the weights and only s for the default counts."""
    started = time.perf_counter()
    s, t, k, seed, counts = checked_inputs(s, t, k, seed, counts, weighted)
    threads = check_threads(threads)
    kernel = time.perf_counter()
    routes = _core.hash_route(counts, t, int(t.size), k, seed, bool(weighted), threads)
    return as_routing(routes, s, t, k, seed, started, (time.perf_counter() - kernel) * 1e3)


def hash_route_matrices(S, T, k: int, **options) -> Routing:
    """``hash_route`` on the row sums of 0/1 matrices S (M x E) and T (E x M)."""
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return hash_route(s, t, k, **options)

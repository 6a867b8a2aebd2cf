"""The hash router: each source takes its targets by keyed hash, uniformly over [0, E) or in
proportion to t_j. Stateless like the phase router, and the fair comparator, since phase loads
follow t_j (docs/BASELINES.md)."""

from __future__ import annotations

import time

from .. import _core
from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .._internal.threads import check_threads, threads_for
from ..routing.api import Routing
from .counts import as_routing, checked_inputs


def hash_route(s, t, k: int, *, seed: int = 0, weighted: bool = False, counts=None,
               threads: int | None = None) -> Routing:
    """The hash baseline: source i takes counts[i] distinct targets by keyed hash, uniformly over
    [0, E) or with probability proportional to t_j (sampling without replacement).
    Stateless and row-parallel (docs/BASELINES.md).

    Args:
        s: source degrees, as for ``route_degrees``; only the default counts use them.
        t: target degrees; only the weights use them (``weighted=True``).
        k: the fan-out cap, at least 1 (the width of ``routes``).
        seed: any integer in [0, 2^64).
        weighted: draw targets in proportion to t_j instead of uniformly.
        counts: routes per source, each in [0, k]; None for min(k, s_i).
        threads: worker threads; None or 0: automatic (one thread for a call of under about a
            millisecond of work, else all cores); the routes never depend on it.

    Returns:
        A ``Routing`` in the phase router's format, with its ``RoutingStats``.
    """
    started = time.perf_counter()
    s, t, k, seed, counts = checked_inputs(s, t, k, seed, counts, weighted)
    threads = threads_for(int(counts.size), k, check_threads(threads))
    kernel = time.perf_counter()
    routes = _core.hash_route(counts, t, int(t.size), k, seed, bool(weighted), threads)
    return as_routing(routes, s, t, k, seed, started, (time.perf_counter() - kernel) * 1e3)


def hash_route_matrices(S, T, k: int, **options) -> Routing:
    """``hash_route`` on the row sums of 0/1 matrices S (M x E) and T (E x M)."""
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return hash_route(s, t, k, **options)

"""The public routing API: ``route`` (matrices) and ``route_degrees`` (degree vectors)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import _core
from ._validate import (
    check_count,
    check_degree_bound,
    check_degrees,
    check_matching_shapes,
    check_output_fits,
    check_routes_buffer,
    check_seed,
    check_threads,
    matrix_row_degrees,
)
from .stats import RoutingStats, column_loads, summarize


@dataclass(frozen=True)
class Routing:
    """routes[i] holds source i's targets, ascending, then -1 padding (int32, M x k)."""

    routes: np.ndarray
    stats: RoutingStats

    @property
    def column_loads(self) -> np.ndarray:
        """Routes per target, length E."""
        return column_loads(self.routes, self.stats.E)


def route(S, T, k: int, *, seed: int = 0, row_perm: bool = False, threads: int | None = None,
          out: np.ndarray | None = None) -> Routing:
    """Route sources (rows of S, M x E) to targets (rows of T, E x M), at most k per source.

    S and T are 0/1 matrices (bool, integer or float NumPy arrays) or ``PackedBits``. Only their
    row sums matter (docs/SPEC.md), so this is ``route_degrees`` on those sums. ``out``: an
    M x k int32 C-contiguous array to write the routes into (reused buffers skip page faults).
    """
    started = time.perf_counter()
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    degrees_ms = (time.perf_counter() - started) * 1e3
    return _route(s, t, k, seed, row_perm, threads, out, started, {"degrees": degrees_ms})


def route_degrees(s, t, k: int, *, seed: int = 0, row_perm: bool = False, threads: int | None = None,
                  out: np.ndarray | None = None) -> Routing:
    """Route from degrees: s[i] = ones in source row i (0..E), t[j] = ones in target row j (0..M),
    with M = len(s) and E = len(t). ``out`` as for ``route``."""
    started = time.perf_counter()
    s_checked, t_checked = check_degrees(s, "s"), check_degrees(t, "t")
    check_degree_bound(s_checked, "s", t_checked.size, "E = len(t)")
    check_degree_bound(t_checked, "t", s_checked.size, "M = len(s)")
    return _route(s_checked, t_checked, k, seed, row_perm, threads, out, started, {})


def _route(s: np.ndarray, t: np.ndarray, k: int, seed: int, row_perm: bool, threads: int | None,
           out: np.ndarray | None, started: float, timings_ms: dict[str, float]) -> Routing:
    k = check_count(k, "k")
    seed = check_seed(seed)
    threads = check_threads(threads)
    if out is None:
        check_output_fits(int(s.size), k)
    else:
        check_routes_buffer(out, int(s.size), k)
    kernel_start = time.perf_counter()
    routes = _core.route_degrees(s, t, k, seed, bool(row_perm), threads, out)
    timings_ms["kernel"] = (time.perf_counter() - kernel_start) * 1e3
    stats_start = time.perf_counter()
    stats = summarize(routes, s, t, k=k, seed=seed, row_perm=bool(row_perm), timings_ms=timings_ms)
    timings_ms["stats"] = (time.perf_counter() - stats_start) * 1e3
    timings_ms["total"] = (time.perf_counter() - started) * 1e3
    object.__setattr__(stats, "timings_ms", dict(timings_ms))
    return Routing(routes=routes, stats=stats)

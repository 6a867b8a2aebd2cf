"""The balanced selection mode, ``select="greedy"`` (docs/BASELINES.md): the spec's candidate sets,
but a row with more than k candidates keeps the k least loaded relative to t_j. Deterministic for
any thread count; costs more than the default uniform selection (see the benchmark)."""

from __future__ import annotations

import time

from ... import _core
from ..._internal.validate import check_count, check_degree_pair, check_matching_shapes, check_seed
from ..._internal.validate import check_threads, matrix_row_degrees
from ..api import Routing
from ...analysis.stats import summarize

__all__ = ["default_block", "route_degrees_greedy", "route_greedy"]


def default_block(M: int) -> int:
    """Rows per block: max(1, M // 1024). Staleness (rows of a block do not see each other's
    routes) grows with block / M, so this keeps it near 1/1024 of the pass at every size."""
    return max(1, M // 1024)


def route_degrees_greedy(s, t, k: int, *, seed: int = 0, row_perm: bool = False, block: int | None = None,
                         threads: int | None = None) -> Routing:
    """Like ``route_degrees`` with the greedy selection. ``block`` is part of the result's
    definition (default ``default_block(M)``); ``threads`` never changes it."""
    started = time.perf_counter()
    s, t = check_degree_pair(s, t)
    k, seed, threads = check_count(k, "k"), check_seed(seed), check_threads(threads)
    block = default_block(int(s.size)) if block is None else check_count(block, "block")
    kernel = time.perf_counter()
    routes = _core.route_degrees_greedy(s, t, k, seed, bool(row_perm), block, threads)
    timings = {"kernel": (time.perf_counter() - kernel) * 1e3}
    stats = summarize(routes, s, t, k=k, seed=seed, row_perm=bool(row_perm), timings_ms=timings)
    timings["total"] = (time.perf_counter() - started) * 1e3
    object.__setattr__(stats, "timings_ms", timings)
    return Routing(routes=routes, stats=stats)


def route_greedy(S, T, k: int, **options) -> Routing:
    """``route_degrees_greedy`` on the row sums of 0/1 matrices S (M x E) and T (E x M)."""
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return route_degrees_greedy(s, t, k, **options)

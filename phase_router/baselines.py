"""The routers a phase router is compared with (docs/BASELINES.md), same output format as
``route``: M x k int32, targets ascending, -1 padded, a ``Routing`` with statistics.

- ``hash_route``: each source takes its targets by keyed hash, uniformly or in proportion to
  t_j. Stateless like the phase router, and the fair comparator, since phase loads follow t_j.
- ``two_choice_route``: the power of two choices, sequential with global loads. Stateful, so it
  is not a drop-in replacement, but it shows how much balance state can buy.

Both route ``counts[i]`` targets from source i, by default ``min(k, s_i)``: a source never takes
more targets than its row of S holds, and an empty row takes none, as in the phase router.
"""

from __future__ import annotations

import time

import numpy as np

from . import _core
from ._validate import check_count, check_degree_pair, check_degrees, check_seed, check_threads, matrix_row_degrees
from ._validate import check_matching_shapes
from .errors import InvalidInputError
from .routing import Routing
from .stats import summarize

__all__ = ["default_counts", "hash_route", "hash_route_matrices", "two_choice_route"]


def default_counts(s: np.ndarray, t: np.ndarray, k: int, weighted: bool) -> np.ndarray:
    """min(k, s_i), and for weighted routers also at most the number of targets with t_j > 0."""
    counts = np.minimum(np.asarray(s, dtype=np.int64), k)
    if weighted:
        counts = np.minimum(counts, int(np.count_nonzero(t)))
    return counts.astype(np.uint32)


def _inputs(s, t, k, seed, counts, weighted: bool):
    s, t = check_degree_pair(s, t)
    k, seed = check_count(k, "k"), check_seed(seed)
    if counts is None:
        return s, t, k, seed, default_counts(s, t, k, weighted)
    counts = check_degrees(counts, "counts")
    if counts.size != s.size:
        raise InvalidInputError(f"counts has {counts.size} entries, but there are {s.size} sources")
    limit = int(np.count_nonzero(t)) if weighted else int(t.size)
    limit = min(limit, k)
    if np.any(counts > limit):
        i = int(np.argmax(counts > limit))
        what = "k or the number of targets with t_j > 0" if weighted else "k or E"
        raise InvalidInputError(f"counts[{i}] = {int(counts[i])} exceeds {what} ({limit})")
    return s, t, k, seed, counts


def _routing(routes, s, t, k, seed, started, kernel_ms) -> Routing:
    timings = {"kernel": kernel_ms}
    stats = summarize(routes, s, t, k=k, seed=seed, row_perm=False, timings_ms=timings)
    timings["total"] = (time.perf_counter() - started) * 1e3
    object.__setattr__(stats, "timings_ms", timings)
    return Routing(routes=routes, stats=stats)


def hash_route(s, t, k: int, *, seed: int = 0, weighted: bool = False, counts=None,
               threads: int | None = None) -> Routing:
    """Source i takes counts[i] distinct targets by keyed hash: uniform over [0, E), or with
    probability proportional to t_j (sampling without replacement). Degrees as for
    ``route_degrees``; only t matters for the weights and only s for the default counts."""
    started = time.perf_counter()
    s, t, k, seed, counts = _inputs(s, t, k, seed, counts, weighted)
    threads = check_threads(threads)
    kernel = time.perf_counter()
    routes = _core.hash_route(counts, t, int(t.size), k, seed, bool(weighted), threads)
    return _routing(routes, s, t, k, seed, started, (time.perf_counter() - kernel) * 1e3)


def hash_route_matrices(S, T, k: int, **options) -> Routing:
    """``hash_route`` on the row sums of 0/1 matrices S (M x E) and T (E x M)."""
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return hash_route(s, t, k, **options)


def two_choice_route(s, t, k: int, *, seed: int = 0, weighted: bool = False, counts=None) -> Routing:
    """Power of two choices: sources in order, each slot draws two distinct targets not yet in
    the row (uniform, or proportional to t_j) and keeps the one with the smaller load (relative
    to t_j when weighted); ties keep the first draw. Sequential by definition (one thread)."""
    started = time.perf_counter()
    s, t, k, seed, counts = _inputs(s, t, k, seed, counts, weighted)
    weights = t if weighted else np.ones(t.size, dtype=np.uint32)
    kernel = time.perf_counter()
    routes = _core.two_choice_route(counts, weights, k, seed)
    return _routing(routes, s, t, k, seed, started, (time.perf_counter() - kernel) * 1e3)

"""What every baseline shares: how many routes each source takes (``counts``), the input checks,
and wrapping routes into a ``Routing`` with statistics."""

from __future__ import annotations

import time

import numpy as np

from .._internal.routes import check_output_fits
from .._internal.scalars import check_count, check_flag, check_seed
from .._internal.vectors import check_degree_pair, check_degrees
from ..routing.stats import summarize
from ..errors import InvalidInputError
from ..routing.api import Routing


def default_counts(s: np.ndarray, t: np.ndarray, k: int, weighted: bool) -> np.ndarray:
    """min(k, s_i), and for weighted routers also at most the number of targets with t_j > 0."""
    s, t = check_degree_pair(s, t)
    k, weighted = check_count(k, "k"), check_flag(weighted, "weighted")
    counts = np.minimum(np.asarray(s, dtype=np.int64), k)
    if weighted:
        counts = np.minimum(counts, int(np.count_nonzero(t)))
    return counts.astype(np.uint32)


def checked_inputs(s, t, k, seed, counts, weighted: bool):
    s, t = check_degree_pair(s, t)
    k, seed = check_count(k, "k"), check_seed(seed)
    weighted = check_flag(weighted, "weighted")
    check_output_fits(int(s.size), k)  # the routes are M x k, whatever the counts
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


def as_routing(routes, s, t, k, seed, started, kernel_ms) -> Routing:
    timings = {"kernel": kernel_ms}
    stats = summarize(routes, s, t, k=k, seed=seed, row_perm=False, timings_ms=timings)
    timings["total"] = (time.perf_counter() - started) * 1e3
    object.__setattr__(stats, "timings_ms", timings)
    return Routing(routes=routes, stats=stats)

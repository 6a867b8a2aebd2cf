"""The public routing API: ``route`` (matrices) and ``route_degrees`` (degree vectors).

Both are the pipeline in one call: degrees -> prepared ``Router`` (steps 1-6) -> selection policy
(step 7, ``select=``) -> routes, with their statistics.
"""

from __future__ import annotations

import threading
import time
import warnings
from typing import Any, Callable

import numpy as np
from numpy.typing import NDArray

from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .._internal.routes import check_output_fits, check_routes_buffer
from .._internal.threads import check_threads
from .stats import RoutingStats, column_loads, stats_from_totals
from .candidates import DEFAULT_SOURCE, candidate_source, describe_sources
from ..errors import InvalidInputError
from .router import PreparedCandidates, check_rows
from .selection import DEFAULT_POLICY, describe_policies


class Routing:
    """One routing: its routes and their statistics.

    Attributes:
        routes: int32, M x k (or (stop - start) x k for a row range): routes[i] holds source
            i's targets, ascending, then -1 padding.
        stats: what the routing did (``RoutingStats``). Computed on first access, from what
            was taken when the routing was made (a copy of small routes, the kernel's load totals
            of larger ones), so writing into ``routes`` or a reused ``out`` buffer afterwards does
            not change them; the same object every time.
        column_loads: int64, length E: routes per target (column sums of the routing matrix).

    Args:
        routes: the routes, as above.
        stats: the statistics, when they are made already.
        make_stats: instead of ``stats``, a function that makes them, called on first access.
    """

    __slots__ = ("routes", "_stats", "_make_stats", "_lock")
    routes: NDArray[np.int32]
    _stats: RoutingStats | None
    _make_stats: Callable[[], RoutingStats] | None
    _lock: threading.Lock

    def __init__(self, routes: NDArray[np.int32], stats: RoutingStats | None = None, *,
                 make_stats: Callable[[], RoutingStats] | None = None) -> None:
        if (stats is None) == (make_stats is None):
            raise InvalidInputError("Routing needs its stats or a function that makes them, not both")
        object.__setattr__(self, "routes", routes)
        object.__setattr__(self, "_stats", stats)
        object.__setattr__(self, "_make_stats", make_stats)
        object.__setattr__(self, "_lock", threading.Lock())  # threads sharing a routing share one stats

    @property
    def stats(self) -> RoutingStats:
        """What the routing did (``RoutingStats``), made on first access."""
        if self._stats is None:
            with self._lock:
                if self._stats is None:
                    assert self._make_stats is not None
                    object.__setattr__(self, "_stats", self._make_stats())
                    object.__setattr__(self, "_make_stats", None)
        stats = self._stats
        assert stats is not None
        return stats

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Routing is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        return f"Routing(routes=<int32 array {self.routes.shape[0]} x {self.routes.shape[1]}>, stats={self.stats!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Routing):
            return NotImplemented
        return np.array_equal(self.routes, other.routes) and self.stats == other.stats

    __hash__ = None  # type: ignore[assignment]  # equal routings compare by content

    def __reduce__(self) -> tuple[Any, ...]:
        return (Routing, (self.routes, self.stats))

    @property
    def column_loads(self) -> NDArray[np.int64]:
        """Routes per target, length E."""
        return column_loads(self.routes, self.stats.E)

    def to_scipy(self) -> Any:  # scipy.sparse.csr_array (needs phase-router[scipy])
        """The routing matrix O: a ``scipy.sparse.csr_array`` of shape M x E, one entry per route."""
        from .._internal.arrays import routes_to_csr

        return routes_to_csr(self.routes, self.stats.E)

    def to_torch(self) -> Any:  # torch.Tensor (needs phase-router[torch])
        """``routes`` as an int32 torch tensor sharing its memory (through DLPack)."""
        from .._internal.arrays import routes_to_torch

        return routes_to_torch(self.routes)


def route(S: Any, T: Any, k: int, *, seed: int = 0, row_perm: bool = False, select: str = DEFAULT_POLICY,
          strategy: str = "auto", rows: tuple[int, int] | None = None, threads: int | None = None,
          out: NDArray[np.int32] | None = None, select_options: dict[str, Any] | None = None,
          candidates: str = DEFAULT_SOURCE) -> Routing:
    """Route sources (rows of S, M x E) to targets (rows of T, E x M), at most k per source.

    For the default candidate source only the row sums of S and T matter (docs/SPEC.md), so this
    is then ``route_degrees`` on those sums. The selection policies and candidate sources, with
    every option, are listed after the arguments; the first of each list is the default.

    Args:
        S: the sources, an M x E 0/1 matrix: a bool, integer or float NumPy array holding only 0
            and 1 (any memory layout), ``PackedBits``, a SciPy sparse matrix or array (row sums
            without densifying), or anything with ``__dlpack__`` / ``__array__`` (PyTorch CPU
            tensors included).
        T: the targets, an E x M 0/1 matrix of the same kinds.
        k: the fan-out cap, at least 1: each source keeps at most k routes.
        seed: any integer in [0, 2^64); the same seed gives the same routes on every machine.
        row_perm: lay the rows on the ring in a seed-derived order instead of input order.
        select: the selection policy, the name of one listed below.
        strategy: how candidates are found, "auto" (per row, by a cost model), "dense" or
            "sparse"; the routes are identical (see ``Router``).
        rows: ``(start, stop)`` to route only those source rows; equal to the same slice of the
            full routing. None routes all M rows.
        threads: worker threads; None or 0: automatic (one thread for a call of under about a
            millisecond of work, else all cores); the routes never depend on it.
        out: a C-contiguous int32 array of shape (stop - start) x k to write the routes into
            (a reused buffer skips the page faults of a fresh one); None allocates one.
        select_options: a dict of the selected policy's options (listed with it below), None
            for its defaults; an option of another policy is refused.
        candidates: the candidate source, the name of one listed below. A source that needs the
            matrices themselves takes neither ``row_perm`` nor ``strategy``.

    Returns:
        A ``Routing``: ``routes`` (int32, (stop - start) x k: each source's targets ascending,
        then -1 padding) and ``stats`` (``RoutingStats``).

    Raises:
        InvalidInputError: a bad value, dtype, k, seed, option or name.
        ShapeMismatchError: T is not E x M.
        ResourceLimitError: the routes or the policy's working memory would not fit.
    """
    started = time.perf_counter()
    source = candidate_source(candidates)
    source.check_route_options({"row_perm": row_perm is not False,
                                "strategy": not (isinstance(strategy, str) and strategy == "auto")})
    if not source.from_degrees:
        router = source.prepare(S, T, k, seed=seed, select=select, select_options=select_options)
        return _run(router, rows, threads, out, started, {"prepare": (time.perf_counter() - started) * 1e3},
                    stacklevel=3)
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    degrees_ms = (time.perf_counter() - started) * 1e3
    prepare_start = time.perf_counter()
    router = source.prepare(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy, select=select,
                            select_options=select_options)
    timings_ms = {"degrees": degrees_ms, "prepare": (time.perf_counter() - prepare_start) * 1e3}
    return _run(router, rows, threads, out, started, timings_ms, stacklevel=3)


def route_degrees(s: Any, t: Any, k: int, *, seed: int = 0, row_perm: bool = False, select: str = DEFAULT_POLICY,
                  strategy: str = "auto", rows: tuple[int, int] | None = None, threads: int | None = None,
                  out: NDArray[np.int32] | None = None, select_options: dict[str, Any] | None = None,
                  candidates: str = DEFAULT_SOURCE) -> Routing:
    """Route from degrees: the same routing as ``route`` on matrices with these row sums.

    Args:
        s: source degrees, s[i] = ones in source row i, each in [0, E]; M = len(s). Any integer
            vector (NumPy, list, SciPy or DLPack array).
        t: target degrees, t[j] = ones in target row j, each in [0, M]; E = len(t).
        k: the fan-out cap, at least 1.
        seed: any integer in [0, 2^64).
        row_perm: lay the rows on the ring in a seed-derived order instead of input order.
        select: the selection policy, the name of one listed below.
        strategy: "auto", "dense" or "sparse" (identical routes).
        rows: ``(start, stop)`` to route only those source rows, or None for all.
        threads: worker threads; None or 0: automatic (one thread for a call of under about a
            millisecond of work, else all cores).
        out: a C-contiguous int32 (stop - start) x k array to write the routes into, or None.
        select_options: a dict of the selected policy's options, None for its defaults.
        candidates: the candidate source, the name of one listed below that needs nothing
            but row sums (a source that needs the matrices themselves is refused here).

    Returns:
        A ``Routing`` with ``routes`` and ``stats``.

    Raises:
        InvalidInputError: a bad value, option or name, or a source that needs the matrices.
        ResourceLimitError: the routes or the policy's working memory would not fit.
    """
    started = time.perf_counter()
    source = candidate_source(candidates)
    if not source.from_degrees:
        raise InvalidInputError(f"candidates={source.name!r} needs the matrices themselves: use route(S, T, k, "
                                f"candidates={source.name!r})")
    source.check_route_options({"row_perm": row_perm is not False,
                                "strategy": not (isinstance(strategy, str) and strategy == "auto")})
    router = source.prepare(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy, select=select,
                            select_options=select_options)
    return _run(router, rows, threads, out, started, {"prepare": (time.perf_counter() - started) * 1e3},
                stacklevel=3)


def _run(router: PreparedCandidates, rows: Any, threads: int | None, out: NDArray[np.int32] | None, started: float,
         timings_ms: dict[str, float], stacklevel: int) -> Routing:
    """Selection on the prepared candidates, then statistics; warnings point at the caller of
    route()/route_degrees() (stacklevel)."""
    start, stop = check_rows(rows, router.M)
    if out is None:
        check_output_fits(stop - start, router.k)
    else:
        check_routes_buffer(out, stop - start, router.k)
    threads = check_threads(threads)
    kernel_start = time.perf_counter()
    # What the statistics are made of is taken now (the caller may reuse `out` at once); the
    # statistics themselves are made on first access.
    routes, later_totals = router.routes_and_later_totals(start, stop, out, threads)
    timings_ms["kernel"] = (time.perf_counter() - kernel_start) * 1e3
    input_warnings = router.input_warnings()
    for message in input_warnings:
        warnings.warn(message, UserWarning, stacklevel=stacklevel)
    selection = dict(router.selection_report)  # a policy reports its last pass here: keep this one's
    timings_ms["total"] = (time.perf_counter() - started) * 1e3

    def make_stats() -> RoutingStats:
        stats_start = time.perf_counter()
        sliced = (start, stop) != (0, router.M)
        stats = stats_from_totals(
            later_totals(), router.s[start:stop], router.t, k=router.k, seed=router.seed, row_perm=router.row_perm,
            timings_ms=timings_ms, ring_M=router.M, row_range=(start, stop) if sliced else None,
            selection=selection,
        )
        for field_name, value in router.stats_overrides().items():
            object.__setattr__(stats, field_name, value)
        object.__setattr__(stats, "warnings", input_warnings)
        timings = {name: ms for name, ms in timings_ms.items() if name != "total"}
        timings["stats"] = (time.perf_counter() - stats_start) * 1e3
        timings["total"] = timings_ms["total"]
        object.__setattr__(stats, "timings_ms", timings)
        return stats

    return Routing(routes, make_stats=make_stats)


# The lists in the docstrings come from the registries, so a new policy or source documents itself.
# (A blank line before each list, so Markdown renders it as one in the API reference.)
_POLICIES_DOC = "\n\n    Selection policies (select=):\n\n" + describe_policies("    ")
_SOURCES_DOC = "\n\n    Candidate sources (candidates=):\n\n" + describe_sources("    ")
route.__doc__ = f"{(route.__doc__ or '').rstrip()}{_POLICIES_DOC}{_SOURCES_DOC}\n"
route_degrees.__doc__ = f"{(route_degrees.__doc__ or '').rstrip()}{_POLICIES_DOC}{_SOURCES_DOC}\n"

"""The public routing API: ``route`` (matrices) and ``route_degrees`` (degree vectors)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._internal.validate import check_matching_shapes, check_output_fits, matrix_row_degrees
from ..errors import InvalidInputError
from .router import Router, check_rows
from ..analysis.stats import LoadTotals, RoutingStats, column_loads, stats_from_totals


SELECT_MODES = ("random", "greedy")


@dataclass(frozen=True)
class Routing:
    """routes[i] holds source i's targets, ascending, then -1 padding (int32, M x k)."""

    routes: NDArray[np.int32]
    stats: RoutingStats

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


def route(S: Any, T: Any, k: int, *, seed: int = 0, row_perm: bool = False, select: str = "random",
          strategy: str = "auto", rows: tuple[int, int] | None = None, threads: int | None = None,
          out: NDArray[np.int32] | None = None) -> Routing:
    """Route sources (rows of S, M x E) to targets (rows of T, E x M), at most k per source.

    S and T are 0/1 matrices (bool, integer or float NumPy arrays) or ``PackedBits``. Only their
    row sums matter (docs/SPEC.md), so this is ``route_degrees`` on those sums.
    select: "random" (the spec's uniform k-subset) or "greedy" (the k least loaded relative to
    t_j, docs/BASELINES.md; slower, and not available for row ranges).
    strategy: "auto", "dense" or "sparse" (identical routes; see Router). rows: (start, stop) to
    route only those source rows (equal to the same slice of the full routing). out: an
    (stop - start) x k int32 C-contiguous array to write the routes into (reused buffers skip
    page faults).
    """
    started = time.perf_counter()
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    degrees_ms = (time.perf_counter() - started) * 1e3
    return _route_degrees(s, t, k, seed, row_perm, select, strategy, rows, threads, out, started,
                          {"degrees": degrees_ms})


def route_degrees(s: Any, t: Any, k: int, *, seed: int = 0, row_perm: bool = False, select: str = "random",
                  strategy: str = "auto", rows: tuple[int, int] | None = None, threads: int | None = None,
                  out: NDArray[np.int32] | None = None) -> Routing:
    """Route from degrees: s[i] = ones in source row i (0..E), t[j] = ones in target row j (0..M),
    with M = len(s) and E = len(t). Options as for ``route``."""
    return _route_degrees(s, t, k, seed, row_perm, select, strategy, rows, threads, out, time.perf_counter(), {})


def _route_degrees(s: Any, t: Any, k: int, seed: int, row_perm: bool, select: str, strategy: str, rows: Any,
                   threads: int | None, out: NDArray[np.int32] | None, started: float,
                   timings_ms: dict[str, float]) -> Routing:
    if check_select(select) == "greedy":
        if rows is not None or out is not None:
            raise InvalidInputError("select='greedy' routes all rows at once (each row sees earlier rows' "
                                    "loads), so rows= and out= are not available with it")
        from .selection.greedy import route_degrees_greedy

        return route_degrees_greedy(s, t, k, seed=seed, row_perm=row_perm, threads=threads)
    return _route(s, t, k, seed, row_perm, strategy, rows, threads, out, started, timings_ms)


def check_select(select: object) -> str:
    if select not in SELECT_MODES:
        raise InvalidInputError(f"select must be one of {', '.join(SELECT_MODES)}, got {select!r}")
    return str(select)


def _route(s: Any, t: Any, k: int, seed: int, row_perm: bool, strategy: str, rows: Any, threads: int | None,
           out: NDArray[np.int32] | None, started: float, timings_ms: dict[str, float]) -> Routing:
    prepare_start = time.perf_counter()
    router = Router(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy)
    timings_ms["prepare"] = (time.perf_counter() - prepare_start) * 1e3
    start, stop = check_rows(rows, router.M)
    if out is None:
        check_output_fits(stop - start, router.k)
    kernel_start = time.perf_counter()
    routes = router.route_rows(start, stop, out=out, threads=threads)
    timings_ms["kernel"] = (time.perf_counter() - kernel_start) * 1e3
    stats_start = time.perf_counter()
    sliced = (start, stop) != (0, router.M)
    stats = stats_from_totals(
        LoadTotals.of(routes, router.E), router.s[start:stop], router.t, k=router.k, seed=router.seed,
        row_perm=router.row_perm, timings_ms=timings_ms, ring_M=router.M,
        row_range=(start, stop) if sliced else None,
    )
    timings_ms["stats"] = (time.perf_counter() - stats_start) * 1e3
    timings_ms["total"] = (time.perf_counter() - started) * 1e3
    object.__setattr__(stats, "timings_ms", dict(timings_ms))
    return Routing(routes=routes, stats=stats)

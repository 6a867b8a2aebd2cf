"""The public routing API: ``route`` (matrices) and ``route_degrees`` (degree vectors).

Both are the pipeline in one call: degrees -> prepared ``Router`` (steps 1-6) -> selection policy
(step 7, ``select=``) -> routes, with their statistics.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .._internal.routes import check_output_fits
from .stats import LoadTotals, RoutingStats, column_loads, stats_from_totals
from .candidates import DEFAULT_SOURCE, candidate_source, describe_sources
from ..errors import InvalidInputError
from .router import PreparedCandidates, check_rows
from .selection import DEFAULT_POLICY, describe_policies


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


def route(S: Any, T: Any, k: int, *, seed: int = 0, row_perm: bool = False, select: str = DEFAULT_POLICY,
          strategy: str = "auto", rows: tuple[int, int] | None = None, threads: int | None = None,
          out: NDArray[np.int32] | None = None, select_options: dict[str, Any] | None = None,
          candidates: str = DEFAULT_SOURCE) -> Routing:
    """Route sources (rows of S, M x E) to targets (rows of T, E x M), at most k per source.

    S and T are 0/1 matrices: bool, integer or float NumPy arrays, ``PackedBits``, SciPy sparse
    matrices or arrays (row sums without densifying), or anything with ``__dlpack__`` /
    ``__array__`` (PyTorch CPU tensors included). For the default candidate source only their
    row sums matter (docs/SPEC.md), so this is then ``route_degrees`` on those sums.
    select: the selection policy (listed below; the first is the default); select_options a
    dict of that policy's options (listed with it), None for its defaults.
    strategy: "auto", "dense" or "sparse" (identical routes; see Router). rows: (start, stop) to
    route only those source rows (equal to the same slice of the full routing). out: an
    (stop - start) x k int32 C-contiguous array to write the routes into (reused buffers skip
    page faults).
    candidates: the candidate source (listed below; the first is the default). A source that
    needs the matrices themselves takes neither row_perm nor strategy.
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
    """Route from degrees: s[i] = ones in source row i (0..E), t[j] = ones in target row j (0..M),
    with M = len(s) and E = len(t). Options as for ``route``; select is one of the policies
    below, candidates one of the sources that need only row sums (the phase construction by
    default)."""
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
    kernel_start = time.perf_counter()
    routes = router.route_rows(start, stop, out=out, threads=threads)
    timings_ms["kernel"] = (time.perf_counter() - kernel_start) * 1e3
    stats_start = time.perf_counter()
    sliced = (start, stop) != (0, router.M)
    stats = stats_from_totals(
        LoadTotals.of(routes, router.E), router.s[start:stop], router.t, k=router.k, seed=router.seed,
        row_perm=router.row_perm, timings_ms=timings_ms, ring_M=router.M,
        row_range=(start, stop) if sliced else None, selection=router.selection_report,
    )
    for field_name, value in router.stats_overrides().items():
        object.__setattr__(stats, field_name, value)
    object.__setattr__(stats, "warnings", router.input_warnings())
    for message in stats.warnings:
        warnings.warn(message, UserWarning, stacklevel=stacklevel)
    timings_ms["stats"] = (time.perf_counter() - stats_start) * 1e3
    timings_ms["total"] = (time.perf_counter() - started) * 1e3
    object.__setattr__(stats, "timings_ms", dict(timings_ms))
    return Routing(routes=routes, stats=stats)


# The lists in the docstrings come from the registries, so a new policy or source documents itself.
_POLICIES_DOC = "\n\n    Selection policies (select=):\n" + describe_policies("    ")
_SOURCES_DOC = "\n\n    Candidate sources (candidates=):\n" + describe_sources("    ")
route.__doc__ = f"{(route.__doc__ or '').rstrip()}{_POLICIES_DOC}{_SOURCES_DOC}\n"
route_degrees.__doc__ = f"{(route_degrees.__doc__ or '').rstrip()}{_POLICIES_DOC}{_SOURCES_DOC}\n"

"""A prepared routing: steps 1-5 of docs/SPEC.md done once; then step 6 (candidate rows) and the
selection policy of step 7 (``select``, see ``selection``) for any range of source rows.

Row ranges are the unit of chunked output and of sharding: every range equals the same slice of
the full routing, whatever the strategy, thread count or policy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .. import _core
from .._internal.routes import check_routes_buffer
from .._internal.scalars import check_choice, check_count, check_flag, check_seed, show
from .._internal.threads import check_threads, threads_for
from .._internal.vectors import check_degree_pair
from ..errors import InvalidInputError
from .selection import DEFAULT_POLICY, Policy, policy
from .selection.kernel import KernelTotals, select_rows
from .stats import LoadTotals
from .theory import _checked_wrap_count_warning

STRATEGIES = {"auto": 0, "dense": 1, "sparse": 2}


def check_strategy(strategy: object) -> str:
    return check_choice(strategy, STRATEGIES, "strategy")


def check_rows(rows: object, M: int) -> tuple[int, int]:
    """(start, stop) with 0 <= start <= stop <= M; None means all rows."""
    if rows is None:
        return 0, M
    if not isinstance(rows, (tuple, list)) or len(rows) != 2:
        raise InvalidInputError(f"rows must be a (start, stop) pair, got {show(rows)}")
    start = check_count(rows[0], "rows start", minimum=0, maximum=M)
    stop = check_count(rows[1], "rows stop", minimum=start, maximum=M)
    return start, stop


# Routes of at most this many bytes are copied when they are made and counted only when their
# statistics are first read: in cache the copy costs a sixth of counting them in the kernel
# (0.8 against 5 µs at N = 256, k = 64), so a caller that never reads the statistics (an MoE
# layer, batch after batch) pays only for the copy. Larger routes are counted by the kernel as it
# writes them, so no copy of them is held: from glibc's mmap threshold (128 KiB) up, a copy is a
# fresh mapping whose page faults cost more than the count (48 µs for 16384 x 2 routes, measured
# inside route_degrees, against 20-30 µs of counting).
COPIED_ROUTES_BYTES = 2**16


def _load_totals(counts: KernelTotals | None) -> LoadTotals | None:
    if counts is None:
        return None
    active, underfilled, without, loads = counts
    return LoadTotals(loads, active, underfilled, without)


class PreparedCandidates:
    """What every candidate source shares once prepared (steps 1-6 done): the selection policy
    (step 7) on any range of source rows. Subclasses set M, E, k, seed, s, t and _core (a
    ``_core.CandidateSource``)."""

    candidates: str  # the name its CandidateSource registers (routing/candidates/)
    named_in_report = True  # the statistics name the source (all but the default do)
    first_row = 0  # the whole routing's id of row 0 (a shard's window starts further on)
    s: np.ndarray
    t: np.ndarray
    k: int
    seed: int
    row_perm: bool
    _core: Any  # a _core.CandidateSource

    def _prepare_selection(self, select: str, select_options: dict | None) -> None:
        self.policy: Policy = policy(select)
        if select_options is not None and not isinstance(select_options, dict):
            raise InvalidInputError(f"select_options must be a dict or None, got {show(select_options)}")
        self.select_options = self.policy.check_options(dict(select_options)) if select_options else {}
        self._whole_pass: np.ndarray | None = None  # a policy that is not row-local routes all rows once
        # The policy's name and options, plus what it reports about its last pass.
        self.selection_report: dict = {"policy": self.policy.name, **self.select_options}
        if self.named_in_report:
            self.selection_report["candidates"] = self.candidates

    def with_policy(self, select: str, select_options: dict | None = None) -> "PreparedCandidates":
        """The same prepared candidates (same k, seed and row order, nothing recomputed) under
        another selection policy; this router keeps its own."""
        other = copy.copy(self)
        other._prepare_selection(select, select_options)
        return other

    def stats_overrides(self) -> dict:
        """Statistics fields whose phase-theory value does not apply to this candidate source."""
        return {}

    def input_warnings(self) -> list[str]:
        """What the inputs imply that a user should know before trusting the balance."""
        return []

    @property
    def M(self) -> int:
        return int(self.s.size)

    @property
    def E(self) -> int:
        return int(self.t.size)

    @property
    def select(self) -> str:
        return self.policy.name

    def route_rows(self, start: int = 0, stop: int | None = None, *, out: np.ndarray | None = None,
                   threads: int | None = None) -> np.ndarray:
        """Routes of source rows [start, stop): int32 (stop - start) x k, equal to the same slice
        of the full routing for every policy."""
        start, stop = check_rows((start, self.M if stop is None else stop), self.M)
        if out is not None:
            check_routes_buffer(out, stop - start, self.k)
        return self.routes_and_totals(start, stop, out, check_threads(threads), totals=False)[0]

    def routes_and_totals(self, start: int, stop: int, out: np.ndarray | None, threads: int, *,
                          totals: bool) -> tuple[np.ndarray, LoadTotals | None]:
        """``route_rows`` of arguments checked already (check_rows, check_routes_buffer or None,
        check_threads), and with `totals` the routes' load totals, taken by the kernel call that
        routes them (else None)."""
        if self.policy.row_local:
            routes, counts = select_rows(self.policy, self, start, stop, out,
                                         threads_for(stop - start, self.k, threads), totals)
            return routes, _load_totals(counts)
        threads = threads_for(self.M, self.k, threads)  # a whole-pass policy routes every row
        if (start, stop) == (0, self.M) and self._whole_pass is None:
            routes, counts = select_rows(self.policy, self, 0, self.M, out, threads, totals)
            return routes, _load_totals(counts)
        if self._whole_pass is None:  # computed once, then every range is a slice of it
            self._whole_pass = select_rows(self.policy, self, 0, self.M, None, threads)[0]
        rows = self._whole_pass[start:stop]
        if out is None:
            rows = rows.copy()
        else:
            out[...] = rows
            rows = out
        return rows, (LoadTotals.of(rows, self.E) if totals else None)

    def routes_and_later_totals(self, start: int, stop: int, out: np.ndarray | None,
                                threads: int) -> tuple[np.ndarray, Callable[[], LoadTotals]]:
        """``routes_and_totals`` for statistics made later: the routes, and a function that gives
        their load totals as they were when routed, whatever is written into the routes (or a
        reused `out`) afterwards."""
        if (stop - start) * self.k * 4 > COPIED_ROUTES_BYTES:
            routes, totals = self.routes_and_totals(start, stop, out, threads, totals=True)
            assert totals is not None
            return routes, lambda: totals
        routes = self.routes_and_totals(start, stop, out, threads, totals=False)[0]
        taken, E = routes.copy(), self.E
        return routes, lambda: LoadTotals.of(taken, E)

    def chunks(self, rows_per_chunk: int, *, start: int = 0, stop: int | None = None,
               threads: int | None = None) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, routes) for consecutive chunks of at most rows_per_chunk rows."""
        rows_per_chunk = check_count(rows_per_chunk, "rows_per_chunk")
        start, stop = check_rows((start, self.M if stop is None else stop), self.M)
        for first in range(start, stop, rows_per_chunk):
            yield first, self.route_rows(first, min(stop, first + rows_per_chunk), threads=threads)


class Router(PreparedCandidates):
    """Degrees prepared for routing once: the phase construction's candidate source (steps 1-6
    of docs/SPEC.md), from which any range of source rows is routed (``route_rows``, ``chunks``).
    Row ranges equal the same slice of the full routing.

    Args:
        s: source degrees, M of them, each in [0, E] (ones in each row of S).
        t: target degrees, E of them, each in [0, M] (ones in each row of T).
        k: the fan-out cap, at least 1.
        seed: any integer in [0, 2^64).
        row_perm: lay the rows on the ring in a seed-derived order instead of input order.
        strategy: "dense" (prefix bitmaps and the sweep, O(E/64) per row), "sparse" (enumerate
            the row's arc, O(s_i log s_i) per row) or "auto" (per row, by the cost model in
            core_cpp/ring/router.cpp). All three give identical routes.
        select: the selection policy's name (``route`` lists them).
        select_options: that policy's options, e.g. ``{"block": 16}`` for greedy; None for its
            defaults.
    """

    candidates = "phase"  # registered by routing/candidates/phase.py
    named_in_report = False  # the default source goes unnamed

    def __init__(self, s, t, k: int, *, seed: int = 0, row_perm: bool = False, strategy: str = "auto",
                 select: str = DEFAULT_POLICY, select_options: dict | None = None) -> None:
        self.s, self.t = check_degree_pair(s, t)
        self.k = check_count(k, "k")
        self.seed = check_seed(seed)
        self.row_perm = check_flag(row_perm, "row_perm")
        self.strategy = check_strategy(strategy)
        self._prepare_selection(select, select_options)
        self._core = _core.Router(self.s, self.t, self.k, self.seed, self.row_perm, STRATEGIES[self.strategy])

    def input_warnings(self) -> list[str]:
        warning = _checked_wrap_count_warning(self.s, self.t, self.k, self._core.target_total)
        return [warning] if warning else []

    @property
    def sparse_rows(self) -> int:
        """Rows the strategy routes sparsely (auto: as the cost model chose)."""
        return int(self._core.sparse_rows)

    @property
    def memory_bytes(self) -> int:
        """Bytes the prepared state holds (checkpoints, permutations, offsets, events)."""
        return int(self._core.memory_bytes)


class RouterWindow(PreparedCandidates):
    """Rows [first, first + len(s)) of the phase construction of M rows laid in input order,
    prepared from those rows' degrees, phase = (sum of the degrees of the rows before them) mod E,
    and t (``_core.PhaseWindow``): what one shard of a large routing holds, O(rows + E) memory
    where a ``Router`` holds O(M). Its rows are numbered from 0; ``first_row`` keys the draws.
    Built by the shard runners from degrees the whole routing's ``Router`` has checked."""

    candidates = "phase"
    named_in_report = False

    def __init__(self, s, first: int, phase: int, M: int, t, k: int, *, seed: int,  # noqa: N803
                 select: str = DEFAULT_POLICY, select_options: dict | None = None) -> None:
        self.s = np.ascontiguousarray(s, dtype=np.uint32)
        self.t = np.ascontiguousarray(t, dtype=np.uint32)
        self.k, self.seed, self.row_perm, self.strategy = k, seed, False, "sparse"
        self.first_row = first
        self._prepare_selection(select, select_options)
        self._core = _core.PhaseWindow(self.s, first, phase, M, self.t, seed)

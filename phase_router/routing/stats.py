"""Summary statistics of one routing (docs/SPEC.md, "Theory")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .. import _core
from .._internal.memory import check_fits
from .._internal.routes import check_routes
from .._internal.scalars import check_count, check_flag, check_seed, show
from .._internal.threads import threads_for_scan
from .._internal.vectors import check_degree_pair
from ..errors import InvalidInputError
from .load_metrics import checked_gini, checked_max_over_mean, checked_relative_loads, mean_of


@dataclass(frozen=True)
class RoutingStats:
    """What one routing did: its inputs, how full it is and how evenly it loads the targets.

    A target's *load* c_j is the number of routes to it (column j's count in the routing matrix
    O); a route is one kept (source, target) pair, a slot of ``routes`` that is not -1. Loads
    are counted in routes, times in milliseconds; ratios have no unit. ``to_dict()`` gives the
    same fields as a dict (``phase-router route --stats`` writes it as JSON).

    Attributes:
        M: number of sources routed (rows of S; the rows of ``row_range`` when only those were).
        E: number of targets (rows of T).
        k: the fan-out cap: at most k routes per source.
        seed: the seed the routing was made with, in [0, 2^64).
        row_perm: whether rows were laid on the ring in a seed-derived order (docs/SPEC.md).
        active_routes: routes kept, in routes (slots that are not -1).
        fill_ratio: active_routes / (M * k), in [0, 1]: the share of the M * k slots used.
        rows_underfilled: sources with fewer than k routes, because they had fewer than k
            candidates.
        expected_candidates_per_row: mean over sources of the expected candidate count,
            s_i * sum(t) / (M * E) for the phase construction (docs/SPEC.md, "Theory"); the exact
            mean candidate count for the mask and hash candidate sources.
        column_load_max: the largest load, max_j c_j, in routes.
        column_load_mean: the mean load over all E targets, active_routes / E, in routes.
        column_load_max_over_mean: column_load_max / column_load_mean (1 is perfect balance);
            0 when nothing was routed.
        timings_ms: wall time of each stage in milliseconds: ``degrees`` (row sums of the
            matrices, ``route`` only), ``prepare`` (steps 1-5 and the candidate source),
            ``kernel`` (selection: the routes, and what these statistics are made of),
            ``stats`` (making them, which ``Routing.stats`` does on first access) and ``total``
            (the call that routed, without ``stats``).
        column_load_std: standard deviation of the loads over all E targets, in routes.
        max_violation: column_load_max_over_mean - 1 (MaxVio): how far, as a fraction of the
            mean, the most loaded target is above the mean; 0 for perfect balance or nothing
            routed.
        column_load_gini: Gini coefficient of the loads, in [0, 1): 0 when all targets carry the
            same load, (E - 1) / E when one target carries everything (docs/METRICS.md).
        empty_targets: targets with no route.
        rows_without_routes: sources with no route at all.
        rows_underfilled_empty_source: of rows_underfilled, the sources with s_i = 0 (an empty
            row of S), which have no candidates at all.
        edge_density: active_routes / (M * E): the density of the routing matrix O.
        candidate_density_theory: the expected density of the candidate matrix before the cap,
            sum(s) * sum(t) / (M * E)^2 for the phase construction (the mean of E[O_ij] =
            s_i * t_j / (M * E)); the exact candidate density for the mask and hash sources.
        capacity_load_max: the largest load relative to capacity, max_j c_j / t_j over targets
            with t_j > 0 (routes per unit of t_j; t_j is target j's row sum in T, its capacity).
        capacity_load_mean: the mean of c_j / t_j over targets with t_j > 0.
        capacity_load_max_over_mean: capacity_load_max / capacity_load_mean: balance relative
            to capacity (1 means every target is loaded in proportion to its t_j); 0 when nothing
            was routed.
        row_range: ``[start, stop)`` when only those source rows were routed (``rows=``), else
            None; the loads then count only those rows' routes.
        selection: the selection policy, the ``select_options`` given, and what its kernel
            reports: ``{"policy": name, **options}`` plus the policy's own figures
            (``optimal``: objective, optimum and the max-flow count that proves it;
            ``balanced``: lower_bound, goal, rounds_run, moves, direct_moves, sweeps, augmentations, proven_optimal,
            max_load).
        warnings: facts about the inputs worth knowing, one sentence each (for example that
            t_j falls in the wrap-count regime, docs/SPEC.md "Theory"); also issued as
            ``UserWarning``.
    """

    M: int
    E: int
    k: int
    seed: int
    row_perm: bool
    active_routes: int  # routes that are not -1
    fill_ratio: float  # active_routes / (M * k)
    rows_underfilled: int  # rows with fewer than k routes (they had fewer than k candidates)
    expected_candidates_per_row: float  # mean over rows of s_i * sum(t) / (M * E)
    column_load_max: int
    column_load_mean: float
    column_load_max_over_mean: float  # 0 when nothing was routed
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Per-routing balance figures (defaults keep older constructors working).
    column_load_std: float = 0.0
    max_violation: float = 0.0  # MaxVio = max/mean - 1
    column_load_gini: float = 0.0
    empty_targets: int = 0  # targets with no route
    rows_without_routes: int = 0
    rows_underfilled_empty_source: int = 0  # of rows_underfilled: s_i = 0, so no candidates at all
    edge_density: float = 0.0  # active / (M * E)
    candidate_density_theory: float = 0.0  # E[O_ij] averaged: sum(s) sum(t) / (M E)^2, before the cap
    capacity_load_max: float = 0.0  # max c_j / t_j over targets with t_j > 0
    capacity_load_mean: float = 0.0
    capacity_load_max_over_mean: float = 0.0
    row_range: list[int] | None = None  # [start, stop) when only those source rows were routed
    # The selection policy and what it reports (optimal: the optimum it proved).
    selection: dict = field(default_factory=dict)
    # Facts about the inputs a user should know (e.g. the wrap-count regime, routing/theory.py).
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def column_loads(routes: np.ndarray, E: int) -> np.ndarray:
    """The load of each target: c_j = number of sources routed to target j.

    Args:
        routes: an M x k integer array of routes, targets in [0, E) and -1 padding (ignored).
        E: the number of targets.

    Returns:
        int64 loads, length E.
    """
    E = check_count(E, "E")
    routes = np.ascontiguousarray(check_routes(routes, E), dtype=np.int32)
    check_fits(8 * E, f"the loads of E={E} targets", "check E")
    return _core.route_summary(routes, E, threads_for_scan(routes.nbytes))[2]


@dataclass
class LoadTotals:
    """What the statistics need from the routes themselves. Additive, so a routing produced in
    row chunks (streamed to disk, or computed on a cluster) is summarised chunk by chunk."""

    loads: np.ndarray  # routes per target, int64, length E
    active: int = 0
    underfilled: int = 0  # rows with fewer than k routes
    rows_without_routes: int = 0

    @classmethod
    def empty(cls, E: int) -> "LoadTotals":
        return cls(np.zeros(E, dtype=np.int64))

    @classmethod
    def of(cls, routes: np.ndarray, E: int) -> "LoadTotals":
        active, underfilled, loads = _core.route_summary(routes, E, threads_for_scan(routes.nbytes))
        without = int(np.count_nonzero(routes[:, 0] < 0)) if routes.shape[1] else routes.shape[0]
        return cls(loads, int(active), int(underfilled), without)

    def add(self, routes: np.ndarray) -> None:
        chunk = LoadTotals.of(routes, self.loads.size)
        self.loads += chunk.loads
        self.active += chunk.active
        self.underfilled += chunk.underfilled
        self.rows_without_routes += chunk.rows_without_routes


def summarize(routes: np.ndarray, s: np.ndarray, t: np.ndarray, *, k: int, seed: int, row_perm: bool,
              timings_ms: dict[str, float]) -> RoutingStats:
    s, t = check_degree_pair(s, t)
    k, seed, row_perm = check_count(k, "k"), check_seed(seed), check_flag(row_perm, "row_perm")
    routes = np.ascontiguousarray(check_routes(routes, int(t.size)), dtype=np.int32)
    if routes.shape != (s.size, k):
        raise InvalidInputError(f"routes must have shape (M, k) = ({s.size}, {k}), got {routes.shape}")
    if not isinstance(timings_ms, dict):
        raise InvalidInputError(f"timings_ms must be a dict of names to milliseconds, got {show(timings_ms)}")
    return stats_from_totals(LoadTotals.of(routes, int(t.size)), s, t, k=k, seed=seed, row_perm=row_perm,
                             timings_ms=timings_ms)


def stats_from_totals(totals: LoadTotals, s: np.ndarray, t: np.ndarray, *, k: int, seed: int, row_perm: bool,
                      timings_ms: dict[str, float], ring_M: int | None = None,
                      row_range: tuple[int, int] | None = None, selection: dict | None = None) -> RoutingStats:
    """Statistics of the rows whose degrees are `s` (all rows, or a row range of a routing whose
    source count is ring_M: the theory's M is always the full ring)."""
    M, E = int(s.size), int(t.size)
    ring = ring_M if ring_M is not None else M
    loads, active = totals.loads, totals.active
    # Means by mean_of, maxima by np.maximum.reduce: the same numbers as ndarray.mean()/max(),
    # without their Python wrappers (the statistics of a small batch are a few dozen of them).
    mean = mean_of(loads)
    largest = int(np.maximum.reduce(loads))
    t_total = float(np.add.reduce(t, dtype=np.float64))
    expected = float(mean_of(s.astype(np.float64)) * t_total / (ring * E)) if M else 0.0
    return RoutingStats(
        M=M, E=E, k=k, seed=seed, row_perm=row_perm,
        active_routes=int(active),
        fill_ratio=active / (M * k) if M else 0.0,
        rows_underfilled=int(totals.underfilled),
        expected_candidates_per_row=expected,
        column_load_max=largest,
        column_load_mean=mean,
        column_load_max_over_mean=largest / mean if mean > 0 else 0.0,
        **_extended(totals, s, t, M, E, ring, largest, t_total),
        timings_ms=dict(timings_ms),
        row_range=list(row_range) if row_range is not None else None,
        selection=dict(selection or {}),
    )


def _extended(totals: LoadTotals, s: np.ndarray, t: np.ndarray, M: int, E: int, ring: int, largest: int,
              t_total: float) -> dict:
    """The per-routing balance fields: O(M + E log E) on vectors already at hand (a row has no route iff its
    first slot is -1, counted in LoadTotals); `largest` is the largest load and t_total sum(t)."""
    loads, active = totals.loads, totals.active
    x = loads.astype(np.float64)  # counts: finite and non-negative, as the metrics need them
    mean = mean_of(x)
    rel = checked_relative_loads(x, t.astype(np.float64))
    ratio = largest / mean if mean > 0 else 0.0
    return dict(
        column_load_std=float(x.std()),
        max_violation=ratio - 1.0 if mean > 0 else 0.0,
        column_load_gini=checked_gini(x),
        empty_targets=int(np.count_nonzero(loads == 0)),
        rows_without_routes=totals.rows_without_routes,
        rows_underfilled_empty_source=int(np.count_nonzero(np.asarray(s) == 0)),
        edge_density=active / (M * E) if M else 0.0,
        candidate_density_theory=float(mean_of(s) * t_total) / (ring * E * E) if M else 0.0,
        capacity_load_max=float(np.maximum.reduce(rel)) if rel.size else 0.0,
        capacity_load_mean=mean_of(rel) if rel.size else 0.0,
        capacity_load_max_over_mean=checked_max_over_mean(rel) if rel.size else 0.0,
    )

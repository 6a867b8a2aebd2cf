"""Summary statistics of one routing (docs/SPEC.md, "Theory")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .. import _core
from .._internal.memory import check_fits
from .._internal.routes import check_routes
from .._internal.scalars import check_count, check_flag, check_seed, show
from .._internal.vectors import check_degree_pair
from ..errors import InvalidInputError
from .load_metrics import gini, max_over_mean, relative_loads


@dataclass(frozen=True)
class RoutingStats:
    """What one routing did. Loads count routes per target (column loads of O)."""

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
    """c_j = number of sources routed to target j (padding -1 ignored), length E."""
    E = check_count(E, "E")
    routes = np.ascontiguousarray(check_routes(routes, E), dtype=np.int32)
    check_fits(8 * E, f"the loads of E={E} targets", "check E")
    return _core.route_summary(routes, E)[2]


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
        active, underfilled, loads = _core.route_summary(routes, E)
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
    mean = float(loads.mean())
    expected = float(s.astype(np.float64).mean() * float(t.sum(dtype=np.float64)) / (ring * E)) if M else 0.0
    return RoutingStats(
        M=M, E=E, k=k, seed=seed, row_perm=row_perm,
        active_routes=int(active),
        fill_ratio=active / (M * k) if M else 0.0,
        rows_underfilled=int(totals.underfilled),
        expected_candidates_per_row=expected,
        column_load_max=int(loads.max()),
        column_load_mean=mean,
        column_load_max_over_mean=float(loads.max() / mean) if mean > 0 else 0.0,
        **_extended(totals, s, t, M, E, ring),
        timings_ms=dict(timings_ms),
        row_range=list(row_range) if row_range is not None else None,
        selection=dict(selection or {}),
    )


def _extended(totals: LoadTotals, s: np.ndarray, t: np.ndarray, M: int, E: int, ring: int) -> dict:
    """The per-routing balance fields: O(M + E log E) on vectors already at hand (a row has no route iff its
    first slot is -1, counted in LoadTotals)."""
    loads, active = totals.loads, totals.active
    x = loads.astype(np.float64)
    mean = float(x.mean())
    rel = relative_loads(x, t)
    ratio = float(x.max() / mean) if mean > 0 else 0.0
    return dict(
        column_load_std=float(x.std()),
        max_violation=ratio - 1.0 if mean > 0 else 0.0,
        column_load_gini=gini(x),
        empty_targets=int(np.count_nonzero(loads == 0)),
        rows_without_routes=totals.rows_without_routes,
        rows_underfilled_empty_source=int(np.count_nonzero(np.asarray(s) == 0)),
        edge_density=active / (M * E) if M else 0.0,
        candidate_density_theory=float(np.mean(s, dtype=np.float64) * np.sum(t, dtype=np.float64)) / (ring * E * E) if M else 0.0,
        capacity_load_max=float(rel.max()) if rel.size else 0.0,
        capacity_load_mean=float(rel.mean()) if rel.size else 0.0,
        capacity_load_max_over_mean=max_over_mean(rel) if rel.size else 0.0,
    )

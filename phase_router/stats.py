"""Summary statistics of one routing (docs/SPEC.md, "Theory")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from . import _core


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

    def to_dict(self) -> dict:
        return asdict(self)


def column_loads(routes: np.ndarray, E: int) -> np.ndarray:
    """c_j = number of sources routed to target j (padding -1 ignored), length E."""
    return _core.route_summary(routes, E)[2]


def summarize(routes: np.ndarray, s: np.ndarray, t: np.ndarray, *, k: int, seed: int, row_perm: bool,
              timings_ms: dict[str, float]) -> RoutingStats:
    M, E = int(s.size), int(t.size)
    active, underfilled, loads = _core.route_summary(routes, E)
    mean = float(loads.mean())
    expected = float(s.astype(np.float64).mean() * float(t.sum(dtype=np.float64)) / (M * E))
    return RoutingStats(
        M=M, E=E, k=k, seed=seed, row_perm=row_perm,
        active_routes=int(active),
        fill_ratio=active / (M * k),
        rows_underfilled=int(underfilled),
        expected_candidates_per_row=expected,
        column_load_max=int(loads.max()),
        column_load_mean=mean,
        column_load_max_over_mean=float(loads.max() / mean) if mean > 0 else 0.0,
        timings_ms=dict(timings_ms),
    )

"""The one caller of every selection kernel: a policy names its binding in phase_router._core and
maps its declared options to the binding's keywords; this module calls it, under one contract:

    _core.<binding>(source, k, seed, begin=0, end=None, threads=0, out=None, totals=False, **options)
        -> (routes, report: dict), plus with totals=True the routes' totals:
           (active routes, rows with fewer than k routes, rows with none, routes per target)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ... import _core

if TYPE_CHECKING:
    from ..router import PreparedCandidates
    from .policy import Policy

# What totals=True adds: (active, underfilled, rows without routes, loads as int64[E]).
KernelTotals = tuple[int, int, int, np.ndarray]


def binding(name: str) -> Any:
    """The kernel function a policy declares, called with the contract's keywords."""
    return getattr(_core, name)


def run_kernel(policy: Policy, router: PreparedCandidates, start: int, stop: int, out: np.ndarray | None,
               threads: int, totals: bool) -> tuple[np.ndarray, dict, KernelTotals | None]:
    """Routes of rows [start, stop) under `policy` on the router's candidate source, the kernel's
    report as the policy reads it, and with `totals` the routes' totals (else None), taken in the
    same kernel call."""
    keywords = policy.kernel_options(router, router.select_options)
    try:  # positionally: pybind11 matches keywords by name, a µs per call
        result = binding(policy.binding)(router._core, router.k, router.seed, start, stop, threads, out, totals,
                                         **keywords)
    except ValueError as exc:
        if policy.kernel_error is None:
            raise
        raise policy.kernel_error(exc) from None
    return result[0], policy.read_report(result[1], router.select_options), (result[2] if totals else None)


def call_kernel(policy: Policy, router: PreparedCandidates, start: int, stop: int, out: np.ndarray | None,
                threads: int) -> tuple[np.ndarray, dict]:
    """``run_kernel``'s routes and report."""
    routes, report, _ = run_kernel(policy, router, start, stop, out, threads, False)
    return routes, report


def select_rows(policy: Policy, router: PreparedCandidates, start: int, stop: int, out: np.ndarray | None,
                threads: int, totals: bool = False) -> tuple[np.ndarray, KernelTotals | None]:
    """``run_kernel``'s routes and totals; what the kernel reports goes into the router's
    selection report."""
    routes, report, kernel_totals = run_kernel(policy, router, start, stop, out, threads, totals)
    router.selection_report.update(report)
    return routes, kernel_totals

"""The one caller of every selection kernel: a policy names its binding in phase_router._core and
maps its declared options to the binding's keywords; this module calls it, under one contract:

    _core.<binding>(source, k, seed, begin=0, end=None, threads=0, out=None, **options)
        -> (routes, report: dict)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ... import _core

if TYPE_CHECKING:
    from ..router import PreparedCandidates
    from .policy import Policy


def binding(name: str) -> Any:
    """The kernel function a policy declares, called with the contract's keywords."""
    return getattr(_core, name)


def call_kernel(policy: Policy, router: PreparedCandidates, start: int, stop: int, out: np.ndarray | None,
                threads: int) -> tuple[np.ndarray, dict]:
    """Routes of rows [start, stop) under `policy` on the router's candidate source, and the
    kernel's report as the policy reads it."""
    keywords = policy.kernel_options(router, router.select_options)
    try:
        routes, report = binding(policy.binding)(router._core, router.k, router.seed, begin=start, end=stop,
                                                 threads=threads, out=out, **keywords)
    except ValueError as exc:
        if policy.kernel_error is None:
            raise
        raise policy.kernel_error(exc) from None
    return routes, policy.read_report(dict(report), router.select_options)


def select_rows(policy: Policy, router: PreparedCandidates, start: int, stop: int, out: np.ndarray | None,
                threads: int) -> np.ndarray:
    """``call_kernel``'s routes; what the kernel reports goes into the router's selection report."""
    routes, report = call_kernel(policy, router, start, stop, out, threads)
    router.selection_report.update(report)
    return routes

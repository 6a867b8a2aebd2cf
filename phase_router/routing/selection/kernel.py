"""The one caller of every selection kernel: a policy names its binding in phase_router._core and
maps its declared options to the binding's keywords; this module calls it, under one contract:

    _core.<binding>(source, k, seed, begin=0, end=None, threads=0, out=None, **options)
        -> (routes, report: dict)

Bindings that predate the contract are adapted here, in ``_ADAPTED``, and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ... import _core

if TYPE_CHECKING:
    from ..router import PreparedCandidates
    from .policy import Policy


def _random(source, k, seed, begin=0, end=None, threads=0, out=None):
    return _core.select_random(source, seed, k, begin, source.M if end is None else end, threads, out), {}


def _greedy(source, k, seed, begin=0, end=None, threads=0, out=None, block=16):
    return _core.select_greedy(source, k, seed, block, threads, out), {}


def _balanced(source, k, seed, begin=0, end=None, threads=0, out=None, rounds=8):
    routes, info = _core.select_balanced(source, k, seed, rounds, threads, out)
    return routes, dict(info)


def _optimal(source, k, seed, begin=0, end=None, threads=0, out=None, relative=False, max_pairs=1 << 28):
    routes, numerator, denominator, pairs, flows = _core.select_optimal(source, k, relative, max_pairs, threads, out)
    return routes, {"relative": bool(relative), "numerator": int(numerator), "denominator": int(denominator),
                    "candidate_pairs": int(pairs), "max_flows": int(flows)}


# Bindings whose positional order or return value is not yet the contract's.
_ADAPTED = {"select_random": _random, "select_greedy": _greedy, "select_balanced": _balanced,
            "select_optimal": _optimal}


def binding(name: str) -> Any:
    """The kernel function a policy declares, called with the contract's keywords."""
    return _ADAPTED.get(name) or getattr(_core, name)


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
    return routes, policy.read_report(dict(report))


def select_rows(policy: Policy, router: PreparedCandidates, start: int, stop: int, out: np.ndarray | None,
                threads: int) -> np.ndarray:
    """``call_kernel``'s routes; what the kernel reports goes into the router's selection report."""
    routes, report = call_kernel(policy, router, start, stop, out, threads)
    router.selection_report.update(report)
    return routes

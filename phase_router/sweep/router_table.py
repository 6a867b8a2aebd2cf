"""The routers a sweep can compare. Each entry turns one cell's degrees into routes (M x k int32,
-1 padded, the format every router shares), so the metrics are computed the same way for all.

Adding a router is one `register(...)` line; `options` lists the cell options it reads, and the
grid gives other routers only the default value of the rest, so no duplicate cells are run.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..routing.api import route_degrees

RouterFunction = Callable[..., np.ndarray]  # (s, t, k, *, seed, row_perm, strategy, threads)


@dataclass(frozen=True)
class Router:
    function: RouterFunction
    options: frozenset[str]  # which of the cell options (row_perm, strategy) it reads
    summary: str


ROUTERS: dict[str, Router] = {}


def register(name: str, function: RouterFunction, options: tuple[str, ...], summary: str) -> None:
    ROUTERS[name] = Router(function, frozenset(options), summary)


def kernel_strategies_supported() -> bool:
    """Whether route_degrees takes `strategy` (the issue-3 kernel strategies auto/dense/sparse)."""
    return "strategy" in inspect.signature(route_degrees).parameters


def _phase(s, t, k, *, seed, row_perm, strategy, threads) -> np.ndarray:
    extra = {"strategy": strategy} if strategy != "auto" else {}  # auto is the default everywhere
    return route_degrees(s, t, k, seed=seed, row_perm=row_perm, threads=threads, **extra).routes


register("phase", _phase, ("row_perm", "strategy"), "phase router, random k-subset (docs/SPEC.md)")


def _register_issue4_routers() -> None:
    """The baselines and the greedy selection (issue 4), when this build has them."""
    try:
        from ..baselines import hash_route, two_choice_route
        from ..routing.selection.greedy import route_degrees_greedy
    except ImportError:  # a build without them: the phase router alone
        return

    def _hash(weighted: bool) -> RouterFunction:
        return lambda s, t, k, *, seed, row_perm, strategy, threads: hash_route(
            s, t, k, seed=seed, weighted=weighted, threads=threads).routes

    register("hash", _hash(False), (), "keyed hash, k distinct targets uniform over [0, E)")
    register("hash-weighted", _hash(True), (), "keyed hash, targets in proportion to t_j")
    register("two-choice", lambda s, t, k, *, seed, row_perm, strategy, threads: two_choice_route(
        s, t, k, seed=seed).routes, (), "power of two choices (sequential, global loads)")
    register("phase-greedy", lambda s, t, k, *, seed, row_perm, strategy, threads: route_degrees_greedy(
        s, t, k, seed=seed, row_perm=row_perm, threads=threads).routes, ("row_perm",),
        "phase candidates, the k least loaded relative to t_j")


_register_issue4_routers()

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

from ..routing import route_degrees

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

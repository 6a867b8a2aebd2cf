"""Every router by name, one table for compare-hash, the seed-averaged statistics, capacity
planning and sweeps: the phase router under each selection policy ("phase" is the default policy,
"phase-<policy>" the others, from the policy registry), the other candidate sources that need only
row sums under each policy ("<source>-candidates", "<source>-candidates-<policy>", from the source
registry) and the baselines. Each entry turns degrees into routes (M x k int32,
-1 padded, the format every router shares), so every metric is computed the same way for all.

Adding a selection policy or a candidate source adds its entries here by itself; adding a
baseline is one ``_register`` line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._internal.scalars import show
from .._internal.vectors import check_degree_pair
from ..baselines import hash_route, two_choice_route
from ..errors import InvalidInputError
from ..routing.candidates import DEFAULT_SOURCE, SOURCES
from ..routing.selection import DEFAULT_POLICY, POLICIES

# (s, t, k, *, seed, row_perm, strategy, threads) -> routes
RouterFunction = Callable[..., np.ndarray]


@dataclass(frozen=True)
class NamedRouter:
    name: str
    function: RouterFunction
    options: frozenset[str]  # which per-run options (row_perm, strategy) change its result or path
    summary: str

    def __call__(self, s, t, k: int, seed: int, threads: int = 0, *, row_perm: bool = False,
                 strategy: str = "auto") -> np.ndarray:
        return self.function(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy, threads=threads)


ROUTERS: dict[str, NamedRouter] = {}


def _register(name: str, function: RouterFunction, options: tuple[str, ...], summary: str) -> None:
    ROUTERS[name] = NamedRouter(name, function, frozenset(options), summary)


PHASE_ROUTER = "phase"  # the phase router's name in this table; its other policies add a suffix


def selection_router_name(policy: str, source: str = DEFAULT_SOURCE) -> str:
    """A policy on a candidate source: "phase" / "phase-<policy>" on the phase construction,
    "<source>-candidates" / "<source>-candidates-<policy>" on another source."""
    base = PHASE_ROUTER if source == DEFAULT_SOURCE else f"{source}-candidates"
    return base if policy == DEFAULT_POLICY else f"{base}-{policy}"


def phase_router_name(policy: str) -> str:
    """"phase" for the default policy, "phase-<policy>" for the others."""
    return selection_router_name(policy)


DEFAULT_ROUTER = phase_router_name(DEFAULT_POLICY)  # the phase router as docs/SPEC.md defines it


def _selection(policy: str, source: str) -> RouterFunction:
    prepare = SOURCES[source].prepare

    def run(s, t, k, *, seed, row_perm, strategy, threads):
        router = prepare(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy, select=policy, select_options=None)
        return router.route_rows(threads=threads)
    return run


def _hash(weighted: bool) -> RouterFunction:
    def run(s, t, k, *, seed, row_perm, strategy, threads):
        return hash_route(s, t, k, seed=seed, weighted=weighted, threads=threads).routes
    return run


def _two_choice(s, t, k, *, seed, row_perm, strategy, threads):
    return two_choice_route(s, t, k, seed=seed).routes


SELECTION_ROUTERS: list[str] = []  # every policy on every source that routes from degrees
# The phase router under every policy: with the baselines, what compare-hash compares by default
# (its memory estimate counts the phase construction's state and the baselines' scratch).
PHASE_ROUTERS: list[str] = []
for _source in (source for source in SOURCES.values() if source.from_degrees):
    for _policy in POLICIES.values():
        _options = ("row_perm", "strategy") if _policy.row_local else ("row_perm",)
        _name = selection_router_name(_policy.name, _source.name)
        _register(_name, _selection(_policy.name, _source.name), tuple(x for x in _options if x in _source.accepts),
                  f"{'phase router' if _source.name == DEFAULT_SOURCE else _source.name + ' candidates'}, "
                  f"{_policy.summary}")
        SELECTION_ROUTERS.append(_name)
        if _source.name == DEFAULT_SOURCE:
            PHASE_ROUTERS.append(_name)
_register("hash", _hash(False), (), "keyed hash, k distinct targets uniform over [0, E)")
_register("hash-weighted", _hash(True), (), "keyed hash, targets in proportion to t_j")
_register("two-choice", _two_choice, (), "power of two choices (sequential, global loads)")
BASELINE_ROUTERS = [name for name in ROUTERS if name not in SELECTION_ROUTERS]


def router(name: str) -> NamedRouter:
    if not isinstance(name, str) or name not in ROUTERS:
        raise InvalidInputError(f"unknown router {show(name)}; choose one of {', '.join(ROUTERS)}")
    return ROUTERS[name]


def check_router_names(names: object) -> tuple[str, ...]:
    """A non-empty list of router names (a single name is a list of one)."""
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not names:
        raise InvalidInputError(f"routers must be a non-empty list of names from {', '.join(ROUTERS)}, got {show(names)}")
    return tuple(router(name).name for name in names)


def as_degrees(s, t) -> tuple[np.ndarray, np.ndarray]:
    """Validated uint32 degree vectors (the API's own checks)."""
    return check_degree_pair(s, t)

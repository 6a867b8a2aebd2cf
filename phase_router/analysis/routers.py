"""The routers compare-hash, the seed-averaged statistics and capacity planning can run, by
name, as plain functions (s, t, k, seed, threads) -> routes on validated uint32 degrees."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import _core
from ..baselines.counts import default_counts
from ..errors import InvalidInputError
from ..routing.selection.greedy import default_block

RouterFn = Callable[[np.ndarray, np.ndarray, int, int, int], np.ndarray]


def _phase(s, t, k, seed, threads):
    return _core.route_degrees(s, t, k, seed, False, threads)


def _greedy(s, t, k, seed, threads):
    return _core.route_degrees_greedy(s, t, k, seed, False, default_block(s.size), threads)


def _hash(s, t, k, seed, threads):
    return _core.hash_route(default_counts(s, t, k, False), t, t.size, k, seed, False, threads)


def _hash_weighted(s, t, k, seed, threads):
    return _core.hash_route(default_counts(s, t, k, True), t, t.size, k, seed, True, threads)


def _two_choice(s, t, k, seed, threads):
    return _core.two_choice_route(default_counts(s, t, k, False), np.ones(t.size, dtype=np.uint32), k, seed)


ROUTERS: dict[str, RouterFn] = {
    "phase": _phase,
    "phase-greedy": _greedy,
    "hash": _hash,
    "hash-weighted": _hash_weighted,
    "two-choice": _two_choice,
}


def router(name: str) -> RouterFn:
    if name not in ROUTERS:
        raise InvalidInputError(f"unknown router {name!r}; choose one of {', '.join(ROUTERS)}")
    return ROUTERS[name]


def as_degrees(s, t) -> tuple[np.ndarray, np.ndarray]:
    """Validated uint32 degree vectors (the API's own checks)."""
    from .._internal.validate import check_degree_pair

    return check_degree_pair(s, t)

"""The power of two choices: sequential with global loads. Stateful, so not a drop-in
replacement for the phase router, but it shows how much balance state can buy (docs/BASELINES.md)."""

from __future__ import annotations

import time

import numpy as np

from .. import _core
from ..routing.api import Routing
from .counts import as_routing, checked_inputs


def two_choice_route(s, t, k: int, *, seed: int = 0, weighted: bool = False, counts=None) -> Routing:
    """The power-of-two-choices baseline: sources in order, each slot draws two distinct targets
    not yet in the row (uniform, or proportional to t_j) and keeps the one with the smaller load
    (relative to t_j when weighted); ties keep the first draw. Sequential by definition (one
    thread, global loads).

    Args:
        s: source degrees, as for ``route_degrees``; only the default counts use them.
        t: target degrees; the weights and relative loads use them when ``weighted``.
        k: the fan-out cap, at least 1 (the width of ``routes``).
        seed: any integer in [0, 2^64).
        weighted: draw in proportion to t_j and compare loads relative to t_j.
        counts: routes per source, each in [0, k]; None for min(k, s_i).

    Returns:
        A ``Routing`` in the phase router's format, with its ``RoutingStats``.
    """
    started = time.perf_counter()
    s, t, k, seed, counts = checked_inputs(s, t, k, seed, counts, weighted)
    weights = t if weighted else np.ones(t.size, dtype=np.uint32)
    kernel = time.perf_counter()
    routes = _core.two_choice_route(counts, weights, k, seed)
    return as_routing(routes, s, t, k, seed, started, (time.perf_counter() - kernel) * 1e3)

"""The route summary's hint: when the user left --select at its default and balanced selection
would cut max/mean by more than HINT_GAIN on this very input, say so, with both figures.

The figure is measured, not guessed: balanced runs on the same prepared candidates (same k, seed
and row order) once the routing is done. Only for routings of at most HINT_MAX_ROUTES routes
(M x k), where that extra pass takes a fraction of a second; larger runs get no hint."""

from __future__ import annotations

from typing import Optional

from ..errors import PhaseRouterError
from ..routing.router import PreparedCandidates
from ..routing.stats import column_loads

HINT_POLICY = "balanced"
HINT_GAIN = 0.10  # balanced must lower max/mean by more than this share of the default's
HINT_MAX_ROUTES = 2**20  # M x k: above this the summary skips the extra pass (balanced can take seconds)


def balanced_hint(router: PreparedCandidates, max_over_mean: float, threads: int = 0) -> Optional[str]:
    """One line suggesting --select balanced when it beats `max_over_mean` (the routing just
    done) by more than HINT_GAIN on the same candidates; None otherwise."""
    if router.policy.name == HINT_POLICY or max_over_mean <= 0 or router.M * router.k > HINT_MAX_ROUTES:
        return None
    try:
        other = router.with_policy(HINT_POLICY)
        loads = column_loads(other.route_rows(0, router.M, threads=threads), router.E)
    except (PhaseRouterError, MemoryError):  # the hint is optional: never fail a finished routing for it
        return None
    mean = float(loads.mean())
    if mean <= 0:
        return None
    balanced = float(loads.max()) / mean
    if balanced >= max_over_mean * (1 - HINT_GAIN):
        return None
    return (f"hint: --select {HINT_POLICY} gives max/mean {balanced:.2f} here "
            f"({router.policy.name}: {max_over_mean:.2f})")

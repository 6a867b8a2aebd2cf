"""The Python API of the original system, the public repository TSltd/bitpacked_phase_router,
so that its users switch by changing one import line.

The original shipped two modules: a compiled ``router`` (routing into a caller's int32 array) and
``router_stats`` (seed-averaged statistics). Both are here under their names::

    from phase_router.compat import router, router_stats      # was: import router, router_stats

The six statistics functions stay importable from ``phase_router.compat`` itself. docs/COMPAT.md
lists every function, its counterpart and every difference in behaviour or numbers.
"""

from __future__ import annotations

from . import router, router_stats
from .router_stats import (analyze_routing_distribution, estimate_expert_capacity, monte_carlo_stats, sample_many,
                           suggest_k_for_balance, validate_routing_inputs)

__all__ = ["analyze_routing_distribution", "estimate_expert_capacity", "monte_carlo_stats", "router", "router_stats",
           "sample_many", "suggest_k_for_balance", "validate_routing_inputs"]

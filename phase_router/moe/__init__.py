"""Mixture-of-experts routing (docs/MOE.md): tokens (sources, M) to experts (targets, E).

``route_scores`` routes each token to k of its top-c experts by gate scores with balanced loads,
``preference_optimum`` keeps the most gate mass any such routing can keep under the capacities;
``dispatch`` turns any routing into the per-expert view an MoE layer computes with, and
``combine`` sums the expert outputs back per token.

    >>> import numpy as np, phase_router as pr
    >>> from phase_router import moe
    >>> r = pr.route_degrees(np.full(6, 2), np.full(3, 4), k=2, seed=1)
    >>> d = moe.dispatch(r, 3)
    >>> int(d.indptr[-1]) == int((r.routes >= 0).sum())
    True
"""

from __future__ import annotations

from .dispatch import Dispatch, combine, dispatch
from .preference import preference_optimum
from .route_scores import route_scores
from .score_routing import ScoreRouting

__all__ = ["Dispatch", "ScoreRouting", "combine", "dispatch", "preference_optimum", "route_scores"]

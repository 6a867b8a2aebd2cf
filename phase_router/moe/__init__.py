"""Mixture-of-experts routing (docs/MOE.md): tokens (sources, M) to experts (targets, E).

``route_scores`` routes each token to k of its top-c experts by gate scores with balanced loads,
``preference_optimum`` keeps the most gate mass any such routing can keep under the capacities;
``dispatch`` turns any routing into the per-expert view an MoE layer computes with, and
``combine`` sums the expert outputs back per token (an example is in ``dispatch``'s module).
"""

from __future__ import annotations

from .dispatch import Dispatch, combine, dispatch
from .preference import preference_optimum
from .route_scores import route_scores
from .score_routing import ScoreRouting

__all__ = ["Dispatch", "ScoreRouting", "combine", "dispatch", "preference_optimum", "route_scores"]

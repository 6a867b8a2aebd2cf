"""Routing by gate scores: each token to k of its top-c experts, loads balanced by a selection
policy over exactly those candidates, then dispatched at a capacity.

The candidates are weighted by the scores (candidates="scores"). Most policies read only which
experts a token may use: within its top c a token's k experts are the ones that balance the loads
best. select="optimal" with the objective "preference" reads the weights too: the smallest
maximum load, then the most gate mass at it. A larger top_c gives the policy more room to balance
and costs gate mass; top_c = k is plain top-k routing."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..routing.api import route
from .dispatch import capacities
from .gate_scores import check_scores, check_top, top_mask
from .score_routing import ScoreRouting, score_routing


def route_scores(scores: Any, k: int, *, top_c: Optional[int] = None, capacity: Any = None,
                 select: str = "balanced", select_options: Optional[dict[str, Any]] = None, seed: int = 0,
                 threads: Optional[int] = None) -> ScoreRouting:
    """Route each token to k of its top_c highest-scoring experts, balancing the expert loads.

    Args:
        scores: tokens x experts gate weights (M x E, finite, non-negative, e.g. a softmax of
            the gate's logits): a NumPy array, or a PyTorch CPU tensor (read through DLPack).
        k: experts per token, 1 <= k <= top_c.
        top_c: how many of its best experts a token may be routed to, k <= top_c <= E; None
            means min(E, 2k). Equal scores rank the lower expert id first.
        capacity: None (keep every route), an int for every expert, or a length-E vector; each
            expert keeps the routes of its lowest token ids (``dispatch``).
        select: the selection policy over the top-c candidates (``phase_router.route``'s
            ``select``); "balanced" brings the maximum load within 2 % (or one route) of the optimum;
            "optimal" with select_options={"objective": "preference"} reaches the smallest
            maximum load and, at it, keeps the most gate mass.
        select_options: the policy's options, None for its defaults.
        seed: any integer in [0, 2^64); the routes are a function of the scores, k, top_c,
            select, its options and the seed, and of nothing else (thread count included).
        threads: worker threads, None or 0 for automatic.

    Returns:
        A ``ScoreRouting``: routes and their gates, the dispatch at the capacity, the kept gate
        mass and the mass unconstrained top-k routing would keep.

    Raises:
        InvalidInputError: scores that are not a finite non-negative 2-D array, k > top_c,
            top_c > E, a bad capacity, policy, option or seed.
    """
    values = check_scores(scores)
    M, E = values.shape  # noqa: N806
    k, c = check_top(k, top_c, E)
    caps = capacities(capacity, E)
    allowed = top_mask(values, c)
    # Weighted candidates: a token's top c experts, each weighted by its score (t_j = M: any expert
    # takes any token; the capacity is the dispatch's).
    routing = route(values, allowed.T, k, seed=seed, select=select, select_options=select_options,
                    candidates="scores", threads=threads)
    report = {"select": select, **routing.stats.selection}
    return score_routing(routing.routes, values, k, c, caps, report)

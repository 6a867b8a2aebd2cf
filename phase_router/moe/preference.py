"""The preference optimum, the yardstick of routing by gate scores: among all assignments of at
most k of each token's top-c experts with every expert under its capacity, the one that keeps
the most gate mass (max_mass.py solves it exactly)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .dispatch import capacities
from .gate_scores import check_scores, check_top, top_experts
from .max_mass import max_mass_assignment
from .score_routing import ScoreRouting, score_routing


def preference_optimum(scores: Any, k: int, *, top_c: Optional[int] = None, capacity: Any = None) -> ScoreRouting:
    """The routing that keeps the most gate mass: each token keeps at most k of its top_c experts
    (``route_scores``'s candidates, the same tie rule) and each expert at most its capacity.

    Args:
        scores: tokens x experts gate weights, as ``route_scores`` takes them.
        k: the most experts per token, 1 <= k <= top_c.
        top_c: the candidates of each token, k <= top_c <= E; None means min(E, 2k).
        capacity: None (no limit: the optimum is plain top-k), an int for every expert or a
            length-E vector.

    Returns:
        A ``ScoreRouting`` whose dispatch drops nothing (the capacities hold); a token may keep
        fewer than k experts when the capacities cannot take them all (or its scores are 0).
        ``report`` holds the optimum and the linear program's bound it attains.

    Raises:
        InvalidInputError: as ``route_scores``. MissingExtraError: SciPy is not installed.
    """
    values = check_scores(scores)
    M, E = values.shape  # noqa: N806
    k, c = check_top(k, top_c, E)
    caps = capacities(capacity, E)
    limit = caps if caps is not None else np.full(E, M, dtype=np.int64)
    experts = top_experts(values, c)
    routes, report = max_mass_assignment(experts, np.take_along_axis(values, experts, axis=1), k, limit)
    return score_routing(routes, values, k, c, caps, report)

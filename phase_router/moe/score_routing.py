"""What routing by gate scores returns: the routes, their gate weights, the dispatch at the
capacity, and the gate mass kept against unconstrained top-k routing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
from numpy.typing import NDArray

from .dispatch import Dispatch, dispatch
from .gate_scores import topk_mass


@dataclass(frozen=True)
class ScoreRouting:
    """A routing of tokens to experts chosen from their gate scores.

    routes: (M, k) int32, each token's experts ascending, then -1 padding (the ``Routing`` format).
    gates: (M, k) float64, ``scores[i, routes[i, j]]`` (0 for padding), the weights ``combine`` takes.
    dispatch: the ``Dispatch`` of ``routes`` at the capacity (dropped routes listed there).
    kept_mass: the gate mass of the routes the dispatch keeps.
    topk_mass: the gate mass unconstrained top-k routing would keep (every token's k best scores).
    top_c: the number of best experts each token was restricted to.
    report: what the selection reports (the policy's report, or the optimum and its proof).
    """

    routes: NDArray[np.int32]
    gates: NDArray[np.float64]
    dispatch: Dispatch
    kept_mass: float
    topk_mass: float
    top_c: int
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def kept_mass_share(self) -> float:
        """kept_mass / topk_mass (1.0 when every token keeps its k best experts; 1.0 for zero scores)."""
        return self.kept_mass / self.topk_mass if self.topk_mass > 0 else 1.0


def score_routing(routes: NDArray[np.int32], scores: NDArray[np.float64], k: int, top_c: int,
                  capacity: Optional[NDArray[np.int64]], report: dict[str, Any]) -> ScoreRouting:
    """The ScoreRouting of checked routes and scores; capacity None keeps every route."""
    active = routes >= 0
    gates = np.where(active, np.take_along_axis(scores, np.where(active, routes, 0), axis=1), 0.0)
    d = dispatch(routes, scores.shape[1], capacity=capacity)
    kept_mass = float(gates[d.slots >= 0].sum())
    return ScoreRouting(routes=routes, gates=gates, dispatch=d, kept_mass=kept_mass,
                        topk_mass=topk_mass(scores, k), top_c=top_c, report=report)

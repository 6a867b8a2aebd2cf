"""The phase router as an oblivious MoE router (what `capacity --moe` measures): any token may
use any expert and the capacities are the whole-wrap recipe at factor 1, so every expert takes
k M / E routes (to within one); the scores are never read."""

from __future__ import annotations

import numpy as np

from ...inputs.moe import whole_wrap_capacities
from ...routing.api import route_degrees
from .batch import Decision, GateBatch, routes_decision


class PhaseOblivious:
    name = "phase-oblivious"
    summary = "phase router on degrees only (s_i = E, whole-wrap capacities): balanced, scores ignored"

    def route(self, batch: GateBatch) -> Decision:
        M, E, k = batch.M, batch.E, batch.k  # noqa: N806
        routing = route_degrees(np.full(M, E), whole_wrap_capacities(M, E, k, 1.0), k, seed=batch.seed)
        return routes_decision(routing.routes, E, batch.capacity)

    def learn(self, batch: GateBatch) -> None:
        """Stateless."""

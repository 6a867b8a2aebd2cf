"""The phase router by gate scores (moe.route_scores): each token to k of its top-c experts,
loads balanced by the balanced selection policy, dropped at the capacity in token order."""

from __future__ import annotations

from ...moe.route_scores import route_scores
from .batch import Decision, GateBatch, TopCRouter, routes_decision


class PhaseScores(TopCRouter):
    prefix = "phase-scores"
    summary = "route_scores: k of each token's top-c experts, loads balanced (select='balanced')"

    def route(self, batch: GateBatch) -> Decision:
        routed = route_scores(batch.scores, batch.k, top_c=self.top_c(batch), seed=batch.seed)
        return routes_decision(routed.routes, batch.E, batch.capacity)

"""The phase router by gate scores (moe.route_scores): each token to k of its top-c experts,
loads balanced by a selection policy, dropped at the capacity in token order. `PhaseScores`
balances with select="balanced" (within 2 %, or one route, of the smallest maximum load, blind to the scores
inside the top c); `PhasePreference` with select="optimal", objective "preference" (exactly the
smallest maximum load, and at it the most gate mass)."""

from __future__ import annotations

from ...moe.route_scores import route_scores
from .batch import Decision, GateBatch, TopCRouter, routes_decision


class PhaseScores(TopCRouter):
    prefix = "phase-scores"
    summary = "route_scores: k of each token's top-c experts, loads balanced (select='balanced')"
    select: dict = {"select": "balanced"}

    def route(self, batch: GateBatch) -> Decision:
        routed = route_scores(batch.scores, batch.k, top_c=self.top_c(batch), seed=batch.seed, **self.select)
        return routes_decision(routed.routes, batch.E, batch.capacity)


class PhasePreference(PhaseScores):
    prefix = "phase-preference"
    summary = ("route_scores: k of each token's top-c experts at the smallest maximum load, keeping the most "
               "gate mass (select='optimal', objective='preference')")
    select: dict = {"select": "optimal", "select_options": {"objective": "preference"}}

"""The yardstick (moe.preference_optimum): the most gate mass any routing of at most k of each
token's top-c experts keeps with every expert under the capacity C. Its linear program has
M x top_c variables, so the evaluation runs it only up to a number of pairs."""

from __future__ import annotations

from ...moe.preference import preference_optimum
from .batch import Decision, GateBatch, TopCRouter, routes_decision

MAX_PAIRS = 1 << 20  # about 20 s of HiGHS on the development machine


class PreferenceOptimum(TopCRouter):
    """top_c = k + extra (within E), as for PhaseScores with the same extra."""

    prefix = "optimum"
    summary = "the most gate mass over k of each token's top-c experts under the capacity (HiGHS LP)"

    def fits(self, batch: GateBatch) -> bool:
        return batch.M * self.top_c(batch) <= MAX_PAIRS

    def route(self, batch: GateBatch) -> Decision:
        best = preference_optimum(batch.scores, batch.k, top_c=self.top_c(batch), capacity=batch.capacity)
        return routes_decision(best.routes, batch.E, batch.capacity)

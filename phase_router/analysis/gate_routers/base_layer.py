"""BASE layers (Lewis et al., 2021): a balanced assignment. Every token gets exactly k experts
and every expert at most ceil(k M / E) tokens, maximising the total token-expert affinity (the
logits, as the paper's dot products); it never drops a token. The paper solves it with an
auction algorithm; here the same optimum comes from the exact linear program (moe.max_mass).
Its size is M x E pairs, so the evaluation runs it only up to a number of pairs."""

from __future__ import annotations

import math

import numpy as np

from ...moe.max_mass import max_mass_assignment
from .batch import Decision, GateBatch, routes_decision

MAX_PAIRS = 1 << 20  # about 10 s of HiGHS on the development machine


class BaseLayer:
    name = "base-layer"
    summary = "balanced assignment: exactly k experts a token, ceil(kM/E) tokens an expert, most affinity (LP)"

    def fits(self, batch: GateBatch) -> bool:
        return batch.M * batch.E <= MAX_PAIRS

    def route(self, batch: GateBatch) -> Decision:
        M, E, k = batch.M, batch.E, batch.k  # noqa: N806
        every = np.broadcast_to(np.arange(E, dtype=np.int64), (M, E))
        balanced = np.full(E, math.ceil(k * M / E), dtype=np.int64)
        routes, _ = max_mass_assignment(every, batch.logits, k, balanced, every_token_k=True)
        return routes_decision(routes, E, batch.capacity)

    def learn(self, batch: GateBatch) -> None:
        """Stateless."""

"""Switch Transformer / GShard routing: each token takes its k highest-scoring experts; an expert
takes at most C = ceil(f k M / E) of them and drops the rest in token order, first choices before
second choices (GShard's top-2 gating fills every expert with the tokens' first choices, in batch
order, then with the second choices; Switch is k = 1)."""

from __future__ import annotations

import numpy as np

from .batch import Decision, GateBatch, keep_first


class SwitchTopK:
    name = "switch-top-k"
    summary = "top-k by score, capacity factor, overflow dropped in token order (choice-major)"

    def route(self, batch: GateBatch) -> Decision:
        chosen = batch.ranked(batch.k)  # M x k, choice j in column j
        M, k = chosen.shape  # noqa: N806
        tokens = np.repeat(np.arange(M, dtype=np.int64), k)
        choice = np.tile(np.arange(k, dtype=np.int64), M)
        priority = choice * M + tokens  # all first choices in token order, then all second choices, ...
        return keep_first(tokens, chosen.reshape(-1), priority, batch.E, batch.capacity)

    def learn(self, batch: GateBatch) -> None:
        """Stateless: nothing carries over between batches."""

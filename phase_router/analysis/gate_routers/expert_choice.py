"""Expert Choice routing (Zhou et al., 2022): the experts choose, not the tokens. Each expert
takes the C = ceil(f k M / E) tokens with its highest scores (equal scores to the lower token
id), so every expert is exactly full, while a token may get any number of experts, none
included."""

from __future__ import annotations

import numpy as np

from .batch import Decision, GateBatch, top_k


class ExpertChoice:
    name = "expert-choice"
    summary = "each expert takes its C highest-scoring tokens; tokens get 0..E experts"

    def route(self, batch: GateBatch) -> Decision:
        C = min(batch.capacity, batch.M)  # noqa: N806
        tokens = top_k(batch.scores.T, C)  # E x C
        experts = np.repeat(np.arange(batch.E, dtype=np.int64), C)
        return Decision(tokens=tokens.reshape(-1), experts=experts, sent=np.full(batch.E, C, dtype=np.int64))

    def learn(self, batch: GateBatch) -> None:
        """Stateless."""

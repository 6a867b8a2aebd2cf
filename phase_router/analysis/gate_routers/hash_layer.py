"""Hash layers (Roller et al., 2021): a token's experts are a fixed keyed hash of the token, not
of its scores; here the project's uniform hash baseline over token positions, k distinct experts
each. Overflow beyond the capacity is dropped in token order."""

from __future__ import annotations

import numpy as np

from ...baselines.hash import hash_route
from .batch import Decision, GateBatch, routes_decision


class HashLayer:
    name = "hash-layer"
    summary = "k distinct experts by keyed hash of the token, scores ignored"

    def route(self, batch: GateBatch) -> Decision:
        M, E = batch.M, batch.E  # noqa: N806
        routing = hash_route(np.full(M, E), np.full(E, M), batch.k, seed=batch.seed)
        return routes_decision(routing.routes, E, batch.capacity)

    def learn(self, batch: GateBatch) -> None:
        """Stateless."""

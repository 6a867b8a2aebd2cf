"""Auxiliary-loss-free load balancing (DeepSeek-V3): each expert has a bias b_e added to its
score only to choose the top k (the gate weights stay the scores); after every batch, an expert
that took more than the mean load lowers its bias by gamma and one that took less raises it.
The biases carry over from batch to batch, so the router is measured after warm-up batches.
Overflow beyond the capacity is dropped as in Switch routing (choice-major, token order)."""

from __future__ import annotations

from typing import Optional

import numpy as np
from numpy.typing import NDArray

from .batch import Decision, GateBatch, keep_first, top_k

GAMMA = 1e-3  # the bias update speed of DeepSeek-V3's pre-training


class BiasBalancing:
    name = "bias-balancing"
    summary = "top-k of score + bias, the bias nudged by gamma against each batch's load (no auxiliary loss)"

    def __init__(self, gamma: float = GAMMA) -> None:
        self.gamma = gamma
        self.bias: Optional[NDArray[np.float64]] = None

    def _choose(self, batch: GateBatch) -> NDArray[np.int64]:
        if self.bias is None or self.bias.size != batch.E:
            self.bias = np.zeros(batch.E)
        return top_k(batch.scores + self.bias, batch.k)

    def route(self, batch: GateBatch) -> Decision:
        chosen = self._choose(batch)
        M, k = chosen.shape  # noqa: N806
        tokens = np.repeat(np.arange(M, dtype=np.int64), k)
        priority = np.tile(np.arange(k, dtype=np.int64), M) * M + tokens
        return keep_first(tokens, chosen.reshape(-1), priority, batch.E, batch.capacity)

    def learn(self, batch: GateBatch) -> None:
        """One bias update from the load this batch would send each expert."""
        loads = np.bincount(self._choose(batch).reshape(-1), minlength=batch.E)
        assert self.bias is not None
        self.bias = self.bias + self.gamma * np.sign(loads.mean() - loads)

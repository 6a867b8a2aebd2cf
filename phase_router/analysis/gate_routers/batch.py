"""What a router over gate scores sees (one batch) and what it decides (the kept token-expert
pairs and the load it sent each expert), with the two rules several routers share: top-k by
score and keeping each expert's first C pairs in a priority order."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class GateBatch:
    """logits and scores (softmax of logits): M x E; k experts per token; capacity_factor f gives
    every expert the capacity C = ceil(f k M / E); seed: the batch's seed (for routers that draw);
    order: ``ranking(scores)`` when the caller has it (one sort shared by every router), else None."""

    logits: NDArray[np.float64]
    scores: NDArray[np.float64]
    k: int
    capacity_factor: float
    seed: int = 0
    order: Optional[NDArray[np.int64]] = None

    def ranked(self, c: int) -> NDArray[np.int64]:
        """M x c: each token's c best experts, best first (``ranking``'s first c columns)."""
        return (self.order if self.order is not None else ranking(self.scores))[:, :c]

    @property
    def topk_mass(self) -> float:
        """The gate mass unconstrained top-k routing keeps."""
        return float(np.take_along_axis(self.scores, self.ranked(self.k), axis=1).sum())

    @property
    def M(self) -> int:  # noqa: N802
        return int(self.scores.shape[0])

    @property
    def E(self) -> int:  # noqa: N802
        return int(self.scores.shape[1])

    @property
    def capacity(self) -> int:
        return math.ceil(self.capacity_factor * self.k * self.M / self.E)


@dataclass(frozen=True)
class Decision:
    """tokens, experts: the kept (token, expert) pairs; sent: length E, the pairs the router sent
    each expert before a capacity dropped any (its demand)."""

    tokens: NDArray[np.int64]
    experts: NDArray[np.int64]
    sent: NDArray[np.int64]


class TopCRouter:
    """A stateless router over each token's top-c experts, c = k + extra (within E): the more
    extra, the more room to balance and the more gate mass it may give up. Subclasses name
    themselves with `prefix` and define `route`."""

    prefix = ""

    def __init__(self, extra: int) -> None:
        self.extra = extra
        self.name = f"{self.prefix}-c+{extra}"

    def top_c(self, batch: GateBatch) -> int:
        return min(batch.E, batch.k + self.extra)

    def learn(self, batch: GateBatch) -> None:
        """Stateless."""


def ranking(values: NDArray[np.float64]) -> NDArray[np.int64]:
    """Each row's indices from its largest entry down, equal values to the lower index."""
    return np.argsort(-values, axis=1, kind="stable").astype(np.int64)


def top_k(values: NDArray[np.float64], k: int) -> NDArray[np.int64]:
    """M x k: each row's k largest entries, best first, equal values to the lower index."""
    return ranking(values)[:, :k]


def keep_first(tokens: NDArray[np.int64], experts: NDArray[np.int64], priority: NDArray[np.int64], E: int,  # noqa: N803
               capacity: int) -> Decision:
    """Each expert keeps its `capacity` pairs of smallest priority (distinct priorities), drops the rest."""
    order = np.lexsort((priority, experts))  # expert-major, then priority
    sorted_experts = experts[order]
    sent = np.bincount(experts, minlength=E).astype(np.int64)
    starts = np.cumsum(sent) - sent
    rank = np.arange(order.size, dtype=np.int64) - starts[sorted_experts]
    kept = order[rank < capacity]
    return Decision(tokens=tokens[kept], experts=experts[kept], sent=sent)


def routes_decision(routes: NDArray[np.integer], E: int, capacity: int) -> Decision:  # noqa: N803
    """An M x k routes array (-1 padding) at the capacity, each expert keeping its lowest token ids."""
    tokens, slots = np.nonzero(routes >= 0)
    return keep_first(tokens.astype(np.int64), routes[tokens, slots].astype(np.int64), tokens.astype(np.int64), E,
                      capacity)

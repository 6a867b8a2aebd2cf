"""Routers over gate scores, each from its paper's definition, for the MoE evaluation
(docs/MOE.md): every router takes a ``GateBatch`` (logits, scores, k, capacity factor) and returns
a ``Decision`` (the kept token-expert pairs, the load it sent each expert); ``learn`` sees the
batches before the measured one (only the bias-balancing router keeps state). A router with a
``fits`` method runs only on batches it returns True for (the exact solvers' size limit)."""

from __future__ import annotations

from typing import Protocol

from .base_layer import BaseLayer
from .batch import Decision, GateBatch
from .bias_balancing import BiasBalancing
from .expert_choice import ExpertChoice
from .hash_layer import HashLayer
from .phase_oblivious import PhaseOblivious
from .phase_scores import PhasePreference, PhaseScores
from .preference_optimum import PreferenceOptimum
from .switch import SwitchTopK


class GateRouter(Protocol):
    name: str
    summary: str

    def route(self, batch: GateBatch) -> Decision: ...

    def learn(self, batch: GateBatch) -> None: ...


def gate_routers() -> list[GateRouter]:
    """A fresh instance of every router (fresh: the bias-balancing router learns across batches)."""
    return [SwitchTopK(), BiasBalancing(), ExpertChoice(), BaseLayer(), HashLayer(), PhaseOblivious(),
            PhaseScores(1), PhaseScores(2), PhasePreference(1), PhasePreference(2), PreferenceOptimum(1),
            PreferenceOptimum(2)]


def runs_on(router: GateRouter, batch: GateBatch) -> bool:
    """False when the router declares the batch beyond its size limit."""
    fits = getattr(router, "fits", None)
    return fits(batch) if fits is not None else True


__all__ = ["Decision", "GateBatch", "GateRouter", "gate_routers", "runs_on"]

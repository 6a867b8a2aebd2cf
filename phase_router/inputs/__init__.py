"""Input generators: the scenarios routed by ``phase-router gen``, sweeps, ``compare-hash
--scenario``, benchmarks and tests, from one registry (``generators``). ``moe`` holds the one MoE
input model; ``draws`` the portable keyed randomness they draw from."""

from .generators import GENERATORS, Generator, Realised, canonical, check_params, degrees, generate, realise
from .moe import expert_capacity, moe_degrees, whole_wrap_capacities

__all__ = ["GENERATORS", "Generator", "Realised", "canonical", "check_params", "degrees", "expert_capacity",
           "generate", "moe_degrees", "realise", "whole_wrap_capacities"]

"""The one MoE input model (docs/ARCHITECTURE.md, "MoE"): M tokens, E experts, top-k routing.

Every token may go to every expert (s_i = E), and every expert accepts at most
capacity(M, E, k, factor) = min(M, ceil(factor * k * M / E)) tokens (t_j, the same for all
experts), as an MoE layer's capacity limit. The phase router then never gives an expert more than
its capacity: a target is a candidate of exactly t_j sources. `gen moe`, the sweep's `moe` input
and `capacity --moe` all use this model.
"""

from __future__ import annotations

import math

import numpy as np

from .._internal.memory import check_fits
from .._internal.scalars import check_count
from .generators import CAPACITY_FACTOR, Generator, Shape, register


def _checked(M: object, E: object, k: object, capacity_factor: object) -> tuple[int, int, int, float]:
    M, E, k = check_count(M, "M"), check_count(E, "E"), check_count(k, "k")
    capacity_factor = CAPACITY_FACTOR.check("moe", "capacity_factor", capacity_factor)
    check_fits(4 * (M + E), f"the MoE degrees of M={M} tokens x E={E} experts", "use a smaller shape")
    return M, E, k, float(capacity_factor)


def expert_capacity(M: int, E: int, k: int, capacity_factor: float) -> int:
    """Tokens one expert accepts: min(M, ceil(capacity_factor * k * M / E))."""
    M, E, k, capacity_factor = _checked(M, E, k, capacity_factor)
    return min(M, math.ceil(capacity_factor * k * M / E))


def moe_degrees(M: int, E: int, k: int, capacity_factor: float = CAPACITY_FACTOR.default) -> tuple[np.ndarray, np.ndarray]:
    """(s, t) of the MoE model: s_i = E, t_j = expert_capacity(M, E, k, capacity_factor)."""
    M, E, k, capacity_factor = _checked(M, E, k, capacity_factor)
    return (np.full(M, E, dtype=np.uint32),
            np.full(E, expert_capacity(M, E, k, capacity_factor), dtype=np.uint32))


def whole_wrap_capacities(M: int, E: int, k: int, capacity_factor: float = CAPACITY_FACTOR.default) -> np.ndarray:
    """Expert capacities that avoid the wrap-count trap (routing/theory.py): c = max(k,
    round(capacity_factor * k)) arcs over every ring position, i.e. sum(t) = c M exactly, spread
    as evenly as integers allow (t_j = floor(c M / E) or one more). Every token then has exactly
    c candidate experts, and every expert's expected load is t_j k / c."""
    M, E, k, capacity_factor = _checked(M, E, k, capacity_factor)
    c = max(k, round(capacity_factor * k))
    total = min(c * M, E * M)
    return (total // E + (np.arange(E) < total % E)).astype(np.uint32)


def _moe(p: Shape):
    return moe_degrees(p.M, p.E, p.k, p.params["capacity_factor"])


register(Generator("moe", "tokens x experts: s_i = E, t_j = min(M, ceil(capacity_factor k M / E))", _moe,
                   {"capacity_factor": CAPACITY_FACTOR}, uses_k=True))

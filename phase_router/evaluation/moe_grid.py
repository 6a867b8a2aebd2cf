"""The grids of the MoE evaluation: batch sizes, expert counts, k, capacity factors, seeds, and
how the bias-balancing router warms up. FULL is `make bench-moe`; QUICK runs in the test suite."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MoeGrid:
    batch_sizes: tuple[int, ...]
    experts: tuple[int, ...]
    ks: tuple[int, ...]
    capacity_factors: tuple[float, ...]
    seeds: int
    warmup_batches: int  # batches the stateful router learns from before the measured ones
    warmup_tokens: int  # at most this many tokens in a warm-up batch (its bias follows load shares)
    focus: tuple[int, int, int]  # the (M, E, k) cell the headline table and the plots show

    def cells(self) -> list[tuple[int, int, int]]:
        """(M, E, k) with k < E: k = E would send every token to every expert."""
        return [(M, E, k) for M in self.batch_sizes for E in self.experts for k in self.ks if k < E]


FULL = MoeGrid(batch_sizes=(1024, 8192, 65536), experts=(8, 64, 256), ks=(1, 2, 8),
               capacity_factors=(1.0, 1.25, 2.0), seeds=5, warmup_batches=100, warmup_tokens=4096,
               focus=(8192, 64, 2))
QUICK = MoeGrid(batch_sizes=(512,), experts=(8,), ks=(1, 2), capacity_factors=(1.0, 1.25, 2.0), seeds=3,
                warmup_batches=20, warmup_tokens=512, focus=(512, 8, 2))
MODEL_SEED = 0  # one gate model per expert count; batches are seeds 0 .. seeds-1
WARMUP_SEED_BASE = 1 << 32  # warm-up batches never reuse a measured batch's tokens

"""candidates="phase", the default: the phase construction of docs/SPEC.md (steps 1-6), from the
row sums alone (``Router``, core_cpp/ring/). Takes every route option: row_perm, strategy, row
shards on a cluster, degree files."""

from __future__ import annotations

from ..router import Router, RouterWindow
from .source import ROUTE_OPTIONS, CandidateSource

CHECKPOINT_BUDGET = 64 * 2**20  # core_cpp/ring/source_arcs.hpp: SourceArcs::kDefaultBudgetBytes


def _planned_stride(E: int) -> int:  # noqa: N803
    """core_cpp/ring/source_arcs.cpp SourceArcs::planned_stride, so the checkpoints are known up front."""
    words = (E + 63) // 64
    stride = 64
    while stride < E and (E // stride + 1) * words * 8 > CHECKPOINT_BUDGET:
        stride *= 2
    return stride


def router_state_bytes(M: int, E: int) -> int:  # noqa: N803
    """An upper bound of Router.memory_bytes (core_cpp/ring/router.cpp) plus the core's copies of s and
    t, from M and E alone: per-row arrays (20 bytes a row), sweep events and the prefix
    checkpoints (assumed present, as they are whenever one row is dense)."""
    arrays = 20 * M + 4 * E
    events = 4 * (M + 1 + 2 * E)
    checkpoints = (E // _planned_stride(E) + 1) * ((E + 63) // 64) * 8
    return arrays + events + checkpoints + 4 * (M + E)


def _memory_parts(M: int, E: int, threads: int, pairs: int) -> dict[str, int]:  # noqa: N803
    """The prepared state, the degrees as routed and their statistics (uint32 degrees, the
    statistics' float64 copy of s and bool masks, load totals per thread), and per thread a
    candidate row (bytes, bitmap words, targets)."""
    return {"prepared state": router_state_bytes(M, E),
            "degrees and loads": 4 * (M + E) + 9 * M + 8 * E * (threads + 4),
            "scratch": threads * (E + 4 * ((E + 63) // 64) * 8 + 4 * E)}


def expected_pairs(s, t) -> int:
    """E[sum_i c_i] = sum(s) sum(t) / (M E) (docs/SPEC.md, Theory)."""
    return (int(s.sum()) * int(t.sum())) // max(1, len(s) * len(t))


def _prepare(s, t, k: int, *, seed: int, select: str, select_options: dict | None, row_perm: bool = False,
             strategy: str = "auto"):
    return Router(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy, select=select,
                  select_options=select_options)


def _prepare_window(s, first: int, phase: int, M: int, t, k: int, *, seed: int, select: str,  # noqa: N803
                    select_options: dict | None):
    return RouterWindow(s, first, phase, M, t, k, seed=seed, select=select, select_options=select_options)


def _oracle(S, T, seed: int, row_perm: bool):  # noqa: N803
    from ...reference.spec import pipeline

    return pipeline(S, T, 1, seed, row_perm).candidates


SOURCE = CandidateSource(
    "phase", "the phase construction of docs/SPEC.md, from row sums alone",
    from_degrees=True, accepts=frozenset(ROUTE_OPTIONS), prepare=_prepare, memory_parts=_memory_parts,
    candidate_pairs=expected_pairs, oracle=_oracle, prepare_window=_prepare_window,
)

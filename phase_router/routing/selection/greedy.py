"""select="greedy" (docs/BASELINES.md): the spec's candidate sets, but a row with more than k
candidates keeps the k least loaded relative to t_j, rows in a seed-derived order, in blocks of
``block`` rows (default max(1, M // 1024), computed by the C++ core) that see the loads as of the
block's start. Deterministic for any thread count; not row-local, so it routes all rows in one
pass (core_cpp/selection/policy_greedy.cpp)."""

from __future__ import annotations

from .policy import Option, Policy


def _kernel_options(router, options: dict) -> dict:
    # None: the C++ GreedyOptions default, max(1, M // 1024) rows. Staleness (rows of a block do
    # not see each other's routes) grows with block / M, so it stays near 1/1024 of the pass.
    return {"block": options.get("block")}


def _scratch_bytes(M: int, E: int, k: int, threads: int, pairs: int) -> int:  # noqa: N803
    """The row order and the loads (int64 per target), and per thread a row's keys and picks."""
    return 8 * E + 4 * M + threads * 16 * E


def _oracle(candidates, t, k: int, seed: int, options: dict, weights=None):
    from ...reference.greedy import select_greedy

    # The oracle states the default block by the definition (docs/BASELINES.md), independently of C++.
    return select_greedy(candidates, t, k, seed, options.get("block") or max(1, candidates.shape[0] // 1024))


POLICY = GREEDY = Policy(
    "greedy", "the k least loaded candidates relative to t_j, rows in a seed-derived order (slower)",
    row_local=False, binding="select_greedy", oracle=_oracle,
    not_row_local_because=("select='greedy' needs every earlier row's loads (rows go in one seed-derived pass), "
                           "so it cannot be sharded; route it on one machine"),
    options=(Option("block", "rows per block; a block's rows see the loads as of its start",
                    default_help="max(1, M // 1024)"),),
    kernel_options=_kernel_options, read_report=lambda report, options: {}, scratch_bytes=_scratch_bytes,
)
from .policy import Option, Policy

"""select="greedy" (docs/BASELINES.md): the spec's candidate sets, but a row with more than k
candidates keeps the k least loaded relative to t_j, rows in a seed-derived order, in blocks of
``default_block(M)`` rows that see the loads as of the block's start. Deterministic for any thread
count; not row-local, so it routes all rows in one pass (core_cpp/selection/policy_greedy.cpp)."""

from __future__ import annotations

from ... import _core
from ..._internal.scalars import check_count
from ...errors import InvalidInputError
from .policy import Policy


def default_block(M: int) -> int:
    """Rows per block: max(1, M // 1024). Staleness (rows of a block do not see each other's
    routes) grows with block / M, so this keeps it near 1/1024 of the pass at every size."""
    return max(1, M // 1024)


def _select(router, start: int, stop: int, out, threads: int):
    block = router.select_options.get("block") or default_block(router.M)
    return _core.select_greedy(router._core, router.k, router.seed, block, threads, out)


def _check_options(options: dict) -> dict:
    unknown = set(options) - {"block"}
    if unknown:
        raise InvalidInputError(f"select='greedy' takes the option block only, got {', '.join(sorted(unknown))}")
    block = options.get("block")
    return {} if block is None else {"block": check_count(block, "block")}


GREEDY = Policy(
    "greedy", "the k least loaded candidates relative to t_j, rows in a seed-derived order (slower)",
    row_local=False, select=_select, check_options=_check_options,
    not_row_local_because=("select='greedy' needs every earlier row's loads (rows go in one seed-derived pass), "
                           "so it cannot be sharded; route it on one machine"),
)

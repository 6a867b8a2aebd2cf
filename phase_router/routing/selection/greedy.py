"""select="greedy" (docs/BASELINES.md): the spec's candidate sets, but a row with more than k
candidates keeps the k least loaded relative to t_j, rows in a seed-derived order, in blocks of
``block`` rows (default max(1, M // 1024), computed by the C++ core) that see the loads as of the
block's start. Deterministic for any thread count; not row-local, so it routes all rows in one
pass (core_cpp/selection/policy_greedy.cpp)."""

from __future__ import annotations

from ... import _core
from ..._internal.validate import check_count, check_matching_shapes, matrix_row_degrees
from ...errors import InvalidInputError
from .policy import Policy


def _select(router, start: int, stop: int, out, threads: int):
    routes, _ = _core.select_greedy(router._core, router.k, router.seed, start, stop, threads, out,
                                    block=router.select_options.get("block"))
    return routes


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


def route_degrees_greedy(s, t, k: int, *, seed: int = 0, row_perm: bool = False, block: int | None = None,
                         threads: int | None = None):
    """``route_degrees(..., select="greedy")`` with an explicit ``block`` (part of the result's
    definition; default max(1, M // 1024)). ``threads`` never changes the result."""
    from ..api import route_degrees

    return route_degrees(s, t, k, seed=seed, row_perm=row_perm, select="greedy", threads=threads,
                         select_options={"block": block} if block is not None else None)


def route_greedy(S, T, k: int, **options):
    """``route_degrees_greedy`` on the row sums of 0/1 matrices S (M x E) and T (E x M)."""
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return route_degrees_greedy(s, t, k, **options)

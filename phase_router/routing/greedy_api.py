"""The greedy policy as two functions with its ``block`` option as a keyword argument:
``route_degrees_greedy`` (degrees) and ``route_greedy`` (0/1 matrices)."""

from __future__ import annotations

from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .api import route_degrees
from .selection.greedy import GREEDY


def route_degrees_greedy(s, t, k: int, *, seed: int = 0, row_perm: bool = False, block: int | None = None,
                         threads: int | None = None):
    """``route_degrees(..., select="greedy")`` with the greedy policy's option as a keyword.

    Args:
        s: source degrees (M of them, each in [0, E]).
        t: target degrees (E of them, each in [0, M]).
        k: the fan-out cap, at least 1.
        seed: any integer in [0, 2^64).
        row_perm: lay the rows on the ring in a seed-derived order instead of input order.
        block: rows per block, whose rows see the loads as of the block's start; part of the
            result's definition. None for max(1, M // 1024).
        threads: worker threads; None or 0: automatic (one thread for a call of under about a
            millisecond of work, else all cores); never changes the result.
    """
    return route_degrees(s, t, k, seed=seed, row_perm=row_perm, select=GREEDY.name, threads=threads,
                         select_options={"block": block} if block is not None else None)


def route_greedy(S, T, k: int, **options):
    """``route_degrees_greedy`` on the row sums of 0/1 matrices.

    Args:
        S: the sources, an M x E 0/1 matrix (any kind ``route`` takes).
        T: the targets, an E x M 0/1 matrix.
        k: the fan-out cap, at least 1.
        **options: the keyword arguments of ``route_degrees_greedy`` (seed, row_perm, block,
            threads).
    """
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return route_degrees_greedy(s, t, k, **options)

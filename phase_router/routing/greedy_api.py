"""The greedy policy as two functions with its ``block`` option as a keyword argument:
``route_degrees_greedy`` (degrees) and ``route_greedy`` (0/1 matrices)."""

from __future__ import annotations

from .._internal.matrix_degrees import check_matching_shapes, matrix_row_degrees
from .api import route_degrees
from .selection.greedy import GREEDY


def route_degrees_greedy(s, t, k: int, *, seed: int = 0, row_perm: bool = False, block: int | None = None,
                         threads: int | None = None):
    """``route_degrees(..., select=GREEDY.name)`` with an explicit ``block`` (part of the result's
    definition; default max(1, M // 1024)). ``threads`` never changes the result."""
    return route_degrees(s, t, k, seed=seed, row_perm=row_perm, select=GREEDY.name, threads=threads,
                         select_options={"block": block} if block is not None else None)


def route_greedy(S, T, k: int, **options):
    """``route_degrees_greedy`` on the row sums of 0/1 matrices S (M x E) and T (E x M)."""
    s, shape_S = matrix_row_degrees(S, "S")
    t, shape_T = matrix_row_degrees(T, "T")
    check_matching_shapes(shape_S, shape_T)
    return route_degrees_greedy(s, t, k, **options)

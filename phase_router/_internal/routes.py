"""Routes given back to the API (M x k target ids, -1 padded), the caller's output buffer, and the
refusal of an output that could not fit in memory."""

from __future__ import annotations

import numpy as np

from ..errors import InvalidInputError
from .memory import check_fits, memory_budget
from .scalars import MAX_DIM
from .vectors import as_array


def check_routes(routes: object, E: int | None = None, name: str = "routes") -> np.ndarray:
    """An M x k integer array of target ids, -1 for an empty slot; with E, every id below E."""
    array = as_array(routes, name)
    if array.ndim != 2 or array.dtype == bool or array.dtype.kind not in "iu":
        raise InvalidInputError(f"{name} must be an M x k integer array, got a {array.ndim}-D {array.dtype} array")
    if array.size and (array.min() < -1 or (E is not None and array.max() >= E)):
        bound = f"[0, {E})" if E is not None else "[0, E)"
        raise InvalidInputError(f"{name} must hold target ids in {bound} or -1 for an empty slot")
    if array.shape[1] > MAX_DIM or array.shape[0] > MAX_DIM:
        raise InvalidInputError(f"{name} has shape {array.shape}; each side must be at most {MAX_DIM}")
    return array


def check_routes_buffer(out: object, M: int, k: int) -> None:
    """`out` must be a writeable, C-contiguous int32 array of shape (M, k)."""
    if not isinstance(out, np.ndarray):
        raise InvalidInputError(f"out must be a NumPy array, got {type(out).__name__}")
    problems = []
    if out.dtype != np.int32:
        problems.append(f"dtype {out.dtype} (needs int32)")
    if out.shape != (M, k):
        problems.append(f"shape {out.shape} (needs {(M, k)})")
    if not out.flags.c_contiguous:
        problems.append("not C-contiguous")
    if not out.flags.writeable:
        problems.append("read-only")
    if problems:
        raise InvalidInputError("out cannot hold the routes: " + ", ".join(problems))


def check_output_fits(M: int, k: int) -> None:
    """Refuse an output larger than the machine's memory before allocating it."""
    budget = memory_budget()  # asked here first: the message is formatted only for a refusal
    if budget is not None and M * k * 4 > budget[0]:
        check_fits(M * k * 4, f"the routes (M={M} x k={k} int32)", "lower k or route row ranges")

"""This project's two-phase adversarial input (not the original system's construction, which is
inputs/two_phase_original.py): route `uniform` inputs once (same k, seed and density), then
S2 is that first phase's routing matrix O (row i: the targets it was given) and T2 its transpose,
so the second phase's degrees are the first phase's fan-outs and column loads."""

from __future__ import annotations

import numpy as np

from .generators import DENSITY, Generator, Realised, Shape, degrees, register


def _first_phase(p: Shape) -> np.ndarray:
    from ..routing.api import route_degrees

    s, t = degrees("uniform", p.M, p.E, k=p.k, seed=p.seed, density=p.params["density"])
    return route_degrees(s, t, p.k, seed=p.seed).routes


def _degrees(p: Shape):
    routes = _first_phase(p)
    kept = routes[routes >= 0]
    return np.count_nonzero(routes >= 0, axis=1), np.bincount(kept, minlength=p.E)


def _rows(r: Realised, side: str, first: int, last: int) -> np.ndarray:
    routes = _first_phase(r.shape)  # recomputed per chunk: M x k int32, the same every time
    if side == "S":
        block = np.zeros((last - first, r.shape.E), dtype=bool)
        chunk = routes[first:last]
        rows, slots = np.nonzero(chunk >= 0)
        block[rows, chunk[rows, slots]] = True
        return block
    block = np.zeros((last - first, r.shape.M), dtype=bool)
    sources, slots = np.nonzero((routes >= first) & (routes < last))
    block[routes[sources, slots] - first, sources] = True
    return block


register(Generator("adversarial", "two phases: S2 = the routing matrix of a first phase on uniform inputs, T2 = S2^T",
                   _degrees, {"density": DENSITY}, uses_k=True, rows=_rows))


"""The input generators whose matrices come from a first routing by the phase router, so they
sit above routing and register themselves into the input registry (inputs/generators.py) when
the package is imported, after the plain generators:

- ``adversarial``, this project's two-phase input: route ``uniform`` inputs once (same k, seed
  and density); S2 is that first phase's routing matrix O (row i: the targets it was given) and
  T2 its transpose, so the second phase's degrees are the first phase's fan-outs and column loads.
- ``two-phase-original``, the phase router's variant of the two-phase construction of the
  original system, TSltd/bitpacked_phase_router (inputs/two_phase_original.py holds the
  construction for any router)."""

from __future__ import annotations

import numpy as np

from .inputs.generators import DENSITY, Generator, Realised, Shape, degrees, register
from .inputs.two_phase_original import second_phase_S, second_phase_T
from .routing.api import route_degrees


def _first_phase(p: Shape) -> np.ndarray:
    s, t = degrees("uniform", p.M, p.E, k=p.k, seed=p.seed, density=p.params["density"])
    return route_degrees(s, t, p.k, seed=p.seed).routes


def _adversarial_degrees(p: Shape):
    routes = _first_phase(p)
    kept = routes[routes >= 0]
    return np.count_nonzero(routes >= 0, axis=1), np.bincount(kept, minlength=p.E)


def _adversarial_rows(r: Realised, side: str, first: int, last: int) -> np.ndarray:
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
                   _adversarial_degrees, {"density": DENSITY}, uses_k=True,
                   rows=_adversarial_rows))


def _phase_first_routes(M: int, E: int, k: int, seed: int) -> np.ndarray:
    # only degrees matter: exact-k rows have k ones each
    return route_degrees(np.full(M, min(k, E)), np.full(E, min(k, M)), k, seed=seed).routes


def _two_phase_degrees(p: Shape):
    # every row of S2 holds one bucket (min(k, E) ones), every row of T2 min(k, M) ones
    return np.full(p.M, min(p.k, p.E)), np.full(p.E, min(p.k, p.M))


def _two_phase_rows(r: Realised, side: str, first: int, last: int) -> np.ndarray:
    p = r.shape
    if side == "S":
        routes1 = _phase_first_routes(p.M, p.E, p.k, p.seed)[first:last]
        return second_phase_S(routes1, p.E, p.k, p.seed)
    return second_phase_T(p.M, p.E, p.k, p.seed)[first:last]


register(Generator("two-phase-original",
                   "the original's two-phase construction (phase router's variant): S2 rows = 128 buckets of k columns hashed from phase-1 routes, T2 = fresh exact-k",
                   _two_phase_degrees, {}, uses_k=True, rows=_two_phase_rows))

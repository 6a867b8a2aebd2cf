"""The one registry of input generators, used by `phase-router gen`, sweep YAML, `compare-hash
--scenario`, the benchmarks and the tests: one spelling per generator (kebab-case, as on the
command line; the snake_case spelling and a few historical names are accepted as aliases), the
same parameters and defaults everywhere (docs/ARCHITECTURE.md, docs/SWEEPS.md).

A generator is a pure function of (M, E, k, seed, params): it fixes the degrees s (M sources,
0..E each) and t (E targets, 0..M each) — all the router reads — and how each row's ones are
laid out in the matrix files `gen` writes, row chunk by row chunk. Adding one is one module with
a ``register(Generator(...))`` call, imported at the bottom of this file; the generators that
route a first phase (``adversarial``, ``two-phase-original``) need the router, so they register
from phase_router/routed_inputs.py, which the package imports.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from .._internal.memory import check_fits
from .._internal.scalars import MAX_DIM, MAX_SEED, show
from .._internal.shares import check_fraction
from ..errors import InvalidInputError
from .draws import CHUNK_ENTRIES, place_keys, placed_rows

Degrees = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Param:
    """A generator parameter: its type (int or float), default and inclusive bounds."""

    kind: type
    default: float
    low: float
    high: float
    help: str
    low_open: bool = False  # the lower bound itself is not allowed
    share: bool = False  # a probability or share: a fraction in [0, 1] by the rule of _internal/shares.py

    def check(self, generator: str, name: str, value: object) -> float | int:
        if self.share:
            return check_fraction(value, f"{generator}: {name}", zero=not self.low_open, one=True)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise InvalidInputError(f"{generator}: {name} must be a number, got {show(value)}")
        try:
            whole = float(value).is_integer()
        except OverflowError:  # an int beyond the float range: certainly above every bound
            raise InvalidInputError(f"{generator}: {name} must be at most {self.high}, got {show(value)}") from None
        if self.kind is int and not whole:
            raise InvalidInputError(f"{generator}: {name} must be a whole number, got {show(value)}")
        number = self.kind(value)
        if not math.isfinite(number) or number > self.high or number < self.low or (self.low_open and number == self.low):
            low = f"({self.low}" if self.low_open else f"[{self.low}"
            raise InvalidInputError(f"{generator}: {name} must be in {low}, {self.high}], got {show(value)}")
        return number


DENSITY = Param(float, 0.5, 0.0, 1.0, "probability of a one", share=True)
WIDTH = Param(int, 32, 1, MAX_DIM, "bands: widths cycle 1..width")
HIGH_FRACTION = Param(float, 0.5, 0.0, 1.0, "bimodal: share of heavy rows", share=True)
CAPACITY_FACTOR = Param(float, 1.25, 0.0, 1e6, "moe: expert capacity / (k M / E)", low_open=True)
ALPHA = Param(float, 1.0, 0.0, 16.0, "power-law: degree ~ width / rank^alpha", low_open=True)
BLOCKS = Param(int, 8, 1, MAX_DIM, "block-diagonal: number of blocks")


@dataclass(frozen=True)
class Shape:
    """What a generator function sees: the shape, k, seed and its checked parameters."""

    M: int
    E: int
    k: int
    seed: int
    params: dict


# Rows [first, last) of side "S" (M x E) or "T" (E x M) as bool, given the realised degrees.
RowsFunction = Callable[["Realised", str, int, int], np.ndarray]


@dataclass(frozen=True)
class Generator:
    name: str
    summary: str
    degrees: Callable[[Shape], Degrees]
    params: dict[str, Param] = field(default_factory=dict)
    uses_k: bool = False  # the degrees depend on k (then k is part of the input's identity)
    aliases: tuple[str, ...] = ()
    rows: RowsFunction | None = None  # None: each row's ones at keyed random columns


GENERATORS: dict[str, Generator] = {}
_SPELLINGS: dict[str, str] = {}


# Generators that draw one 64-bit word per matrix entry: beyond this many entries one call takes
# minutes (the sweep loader refuses such configs with the same limit).
PER_ENTRY_GENERATORS = ("uniform", "adversarial")
PER_ENTRY_MAX = 2**28


def register(generator: Generator) -> Generator:
    GENERATORS[generator.name] = generator
    for spelling in (generator.name, generator.name.replace("-", "_"), *generator.aliases):
        _SPELLINGS[spelling] = generator.name
    return generator


def canonical(name: object) -> str:
    """The registry's spelling of a generator name (aliases accepted)."""
    if not isinstance(name, str) or name not in _SPELLINGS:
        raise InvalidInputError(f"unknown generator {show(name)}; choose one of {', '.join(GENERATORS)}")
    return _SPELLINGS[name]


def spellings() -> dict[str, str]:
    """Every accepted spelling -> its registry name."""
    return dict(_SPELLINGS)


def check_params(name: str, params: dict) -> dict:
    """The generator's parameters with defaults filled in; unknown or out-of-range ones refused."""
    generator = GENERATORS[canonical(name)]
    if not isinstance(params, dict):
        raise InvalidInputError(f"{generator.name}: parameters must be a dict, got {show(params)}")
    unknown = set(params) - set(generator.params)
    if unknown:
        takes = ", ".join(generator.params) or "no parameters"
        raise InvalidInputError(f"{generator.name} takes {takes}; got {', '.join(sorted(unknown))}")
    return {key: spec.check(generator.name, key, params.get(key, spec.default)) for key, spec in generator.params.items()}


@dataclass(frozen=True)
class Realised:
    """A generated input: its degrees, and its matrices row chunk by row chunk."""

    generator: Generator
    shape: Shape
    s: np.ndarray
    t: np.ndarray

    def rows(self, side: str, first: int, last: int) -> np.ndarray:
        """Rows [first, last) of S (side "S", M x E) or T ("T", E x M), bool."""
        if self.generator.rows is not None:
            return self.generator.rows(self, side, first, last)
        key_S, key_T = place_keys(self.shape.seed)
        key, degrees, cols = (key_S, self.s, self.shape.E) if side == "S" else (key_T, self.t, self.shape.M)
        return placed_rows(key, degrees[first:last], first, cols)

    def chunks(self, side: str, max_entries: int = CHUNK_ENTRIES) -> Iterator[np.ndarray]:
        """The whole matrix of `side` in consecutive row chunks of at most ~max_entries entries."""
        rows, cols = (self.shape.M, self.shape.E) if side == "S" else (self.shape.E, self.shape.M)
        step = max(1, max_entries // cols)
        for first in range(0, rows, step):
            yield self.rows(side, first, min(rows, first + step))

    def matrices(self) -> tuple[np.ndarray, np.ndarray]:
        S = np.concatenate(list(self.chunks("S")), axis=0)
        T = np.concatenate(list(self.chunks("T")), axis=0)
        return S, T


def _check_shape(M: object, E: object, k: object, seed: object) -> tuple[int, int, int, int]:
    for value, what, high in ((M, "M", MAX_DIM), (E, "E", MAX_DIM), (k, "k", MAX_DIM)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 1 <= value <= high:
            raise InvalidInputError(f"{what} must be an integer in [1, {high}], got {show(value)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed <= MAX_SEED:
        raise InvalidInputError(f"seed must be an integer in [0, 2^64), got {show(seed)}")
    # Degrees and the generators' per-row draws: a few 8-byte words per row of S and of T.
    check_fits(32 * (int(M) + int(E)), f"generating degrees for M={M} x E={E}", "use a smaller shape")
    return int(M), int(E), int(k), int(seed)  # type: ignore[arg-type]


def realise(kind: str, M: int, E: int, *, k: int = 64, seed: int = 0, **params) -> Realised:
    """The generated input `kind` at shape M x E: degrees now, matrix rows on demand."""
    generator = GENERATORS[canonical(kind)]
    M, E, k, seed = _check_shape(M, E, k, seed)
    shape = Shape(M, E, k, seed, check_params(generator.name, params))
    if generator.name in PER_ENTRY_GENERATORS and M * E > PER_ENTRY_MAX:
        raise InvalidInputError(f"{generator.name} draws one word per matrix entry, and shape {M} x {E} has "
                                f"{M * E:,} entries, above the limit {PER_ENTRY_MAX:,}; use uniform-1-k, exact-k "
                                f"or moe for large shapes")
    s, t = generator.degrees(shape)
    return Realised(generator, shape, np.asarray(s, dtype=np.uint32), np.asarray(t, dtype=np.uint32))


def degrees(kind: str, M: int, E: int, *, k: int = 64, seed: int = 0, **params) -> Degrees:
    """Degrees (s, t) of a generated input: all a router needs."""
    realised = realise(kind, M, E, k=k, seed=seed, **params)
    return realised.s, realised.t


def generate(kind: str, M: int, E: int, *, k: int = 64, seed: int = 0, **params) -> tuple[np.ndarray, np.ndarray]:
    """(S, T) of the named kind as whole bool matrices (S is M x E, T is E x M). For large
    shapes use ``realise(...).chunks(side)``, which holds one row chunk at a time."""
    realised = realise(kind, M, E, k=k, seed=seed, **params)
    check_fits(2 * M * E, f"the matrices S and T ({M} x {E} booleans each)", "use realise(...).chunks(side)")
    return realised.matrices()


# The generators, one module per family; each registers itself. The routed ones follow from
# phase_router/routed_inputs.py.
from . import random_rows, structured, moe  # noqa: E402,F401,I001  (registry order)

"""Lists of seeds and of fan-out caps k, counted before any entry is read, so a huge range or an
endless iterator is refused at once."""

from __future__ import annotations

import itertools

import numpy as np

from ..errors import InvalidInputError
from .scalars import MAX_SEED, check_count, show

MAX_SEED_COUNT = 1_000_000  # seeds in one call; the sweep config's limit too


def check_seeds(seeds: object, name: str = "seeds") -> list[int]:
    """A non-empty collection of seeds (list, tuple, range, 1-D integer array), each in
    [0, 2^64), at most MAX_SEED_COUNT of them; counted before any is read."""
    if isinstance(seeds, (str, bytes, dict, set, frozenset)) or not hasattr(seeds, "__iter__"):
        raise InvalidInputError(f"{name} must be a list or range of integer seeds, got "
                                f"{type(seeds).__name__} {show(seeds)}")
    if isinstance(seeds, np.ndarray) and seeds.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D list of seeds, got a {seeds.ndim}-D array")
    try:
        count = len(seeds)  # type: ignore[arg-type]
    except OverflowError:  # len(range(2**64)) does not fit a C ssize_t
        count = MAX_SEED_COUNT + 1
    except TypeError:  # an iterator: read at most one more than the limit
        seeds = list(itertools.islice(seeds, MAX_SEED_COUNT + 1))  # type: ignore[call-overload]
        count = len(seeds)
    if count == 0:
        raise InvalidInputError(f"{name} is empty; at least one seed is needed")
    if count > MAX_SEED_COUNT:
        raise InvalidInputError(f"{name} holds more than {MAX_SEED_COUNT:,} seeds, the limit of one call")
    return [check_count(x, f"{name}[{i}]", minimum=0, maximum=MAX_SEED) for i, x in enumerate(seeds)]


def check_ks(ks: object, name: str = "ks") -> list[int]:
    """A non-empty list of fan-out caps k, each 1..2^31-1."""
    if isinstance(ks, (str, bytes, dict, set)) or not isinstance(ks, (list, tuple, range, np.ndarray)):
        raise InvalidInputError(f"{name} must be a list of integers k, got {type(ks).__name__} {show(ks)}")
    if isinstance(ks, np.ndarray) and ks.ndim != 1:
        raise InvalidInputError(f"{name} must be a 1-D list of k values, got a {ks.ndim}-D array")
    try:
        count = len(ks)
    except OverflowError:
        count = MAX_SEED_COUNT + 1
    if count == 0 or count > 10_000:
        raise InvalidInputError(f"{name} must hold 1 to 10,000 values of k, got {count}")
    return [check_count(k, f"{name}[{i}]") for i, k in enumerate(ks)]

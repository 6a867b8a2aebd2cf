"""Checks of single arguments (counts, seeds, flags, choices, real numbers) and how a refused
value is quoted in the one-line error. The C++ core trusts what comes out of here."""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import InvalidInputError

MAX_DIM = 2**31 - 1  # target ids are int32; ring positions uint32
MAX_SEED = 2**64 - 1


def show(value: object) -> str:
    """A value as quoted in an error message: its repr on one line, at most 60 characters."""
    try:
        text = " ".join(repr(value).split())
    except Exception:  # a hostile __repr__ must not replace the error being reported
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def check_count(value: object, name: str, *, minimum: int = 1, maximum: int = MAX_DIM) -> int:
    """An integer in [minimum, maximum], rejecting bools and floats."""
    if type(value) is int and minimum <= value <= maximum:  # a plain int in range: no ABC check
        return value
    return _checked_count(value, name, minimum, maximum)


def _checked_count(value: object, name: str, minimum: int, maximum: int) -> int:
    """check_count for any value (the rule itself; check_count only answers plain ints first)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InvalidInputError(f"{name} must be an integer, got {type(value).__name__} {show(value)}")
    value = int(value)
    if not minimum <= value <= maximum:
        raise InvalidInputError(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def check_seed(seed: object) -> int:
    """Any integer in [0, 2**64 - 1]; every seed, 0 included, is deterministic."""
    return check_count(seed, "seed", minimum=0, maximum=MAX_SEED)


def check_flag(value: object, name: str) -> bool:
    """A real boolean: a string such as "false" or a number is refused, never read as true."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise InvalidInputError(f"{name} must be True or False, got {type(value).__name__} {show(value)}")


def check_choice(value: object, choices, name: str) -> str:
    """One of `choices` (strings); anything else, unhashable values included, is refused."""
    if not isinstance(value, str) or value not in choices:
        raise InvalidInputError(f"{name} must be one of {', '.join(choices)}, got {show(value)}")
    return value


def check_real(value: object, name: str, *, minimum: float | None = None, maximum: float | None = None,
               above: float | None = None) -> float:
    """A finite real number (int or float, not bool or str) within the given bounds: `minimum`
    and `maximum` inclusive, `above` exclusive."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{name} must be a number, got {type(value).__name__} {show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = float("inf")
    if not np.isfinite(number):
        raise InvalidInputError(f"{name} must be a finite number, got {show(value)}")
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum) or (
            above is not None and number <= above):
        low = f"> {above}" if above is not None else (f">= {minimum}" if minimum is not None else "")
        high = f"<= {maximum}" if maximum is not None else ""
        raise InvalidInputError(f"{name} must be {' and '.join(x for x in (low, high) if x)}, got {show(value)}")
    return number

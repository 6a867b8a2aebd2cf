"""The one convention for probabilities and shares, for every command and API parameter:

- a parameter named *percentile* takes percent, in [1, 100): 99 means 99 %. A value below 1 is
  refused as ambiguous (0.99 reads as the fraction 0.99, i.e. 99 %), with the percent it
  probably meant as a hint;
- every other probability or share (probability, confidence, density, fraction, fill) takes a
  fraction, between 0 and 1 (each parameter says whether 0 and 1 themselves are allowed). A value
  in (1, 100] is refused as a percentage, with the fraction it probably meant as a hint.

Both raise InvalidInputError with one line that names the parameter as the caller spelled it
(`--percentile` on the command line, `percentile` in the API).
"""

from __future__ import annotations

from ..errors import InvalidInputError
from .scalars import check_real

PERCENT_MINIMUM = 1.0  # below this a percentile is read as a fraction by mistake
PERCENT_RULE = "percent in [1, 100): 99 means 99 %; values below 1 are refused as ambiguous"
FRACTION_RULE = "a fraction, not a percentage: 0.9 means 90 %"


def _number(value: float) -> str:
    """A value as the user would type it: 99 rather than 99.0, and no float noise (0.9, not
    0.9000000000000001)."""
    text = f"{value:.10g}"
    return text


def check_percentile(value: object, name: str = "percentile") -> float:
    """A percentage in [1, 100), as a float (percent)."""
    number = check_real(value, name)
    if PERCENT_MINIMUM <= number < 100:
        return number
    hint = ""
    if 0 < number < PERCENT_MINIMUM and PERCENT_MINIMUM <= number * 100 < 100:
        hint = f"; did you mean {_number(number * 100)}?"
    raise InvalidInputError(f"{name} {_number(number)} is a percentage in [1, 100){hint}")


def check_fraction(value: object, name: str, *, zero: bool = False, one: bool = False) -> float:
    """A fraction between 0 and 1; `zero` and `one` say whether 0 and 1 themselves are allowed."""
    number = check_real(value, name)
    if (0 < number or (zero and number == 0)) and (number < 1 or (one and number == 1)):
        return number
    low, high = ("[" if zero else "("), ("]" if one else ")")
    hint = ""
    if 1 < number <= 100:
        hint = f"; did you mean {_number(number / 100)}?"
    raise InvalidInputError(f"{name} {_number(number)} is a fraction in {low}0, 1{high}{hint}")


def check_probability(value: object, name: str = "probability") -> float:
    """A probability strictly between 0 and 1 (a chance over seeds)."""
    return check_fraction(value, name)

"""Every command's numeric options checked by one rule before its body runs, each refusal one
line that names the option as the user typed it (never an internal parameter name) and the real
limit, exit 2:

- integer options: Click refuses values below an option's declared minimum; above, every integer
  option has a limit: the thread or worker-process limit for --threads, --jobs and --workers, the
  seed-count limit for seed counts, 2^31 - 1 (the largest count the routing handles) otherwise;
- probability and share options (--percentile, --probability, --density ...) follow the one
  convention of _internal/shares.py: --percentile takes percent in [1, 100), every other share a
  fraction, and a value in the other form is refused with the value it probably meant.

`checked_options(command)` wraps a command function (Typer reads the unchanged signature).
"""

from __future__ import annotations

import functools
import inspect
import sys
from typing import Any, Callable, Optional

from .._internal.scalars import MAX_DIM
from .._internal.scheduler import WORKER_PROCESSES_PER_CORE_LIMIT
from .._internal.seeds import MAX_SEED_COUNT
from .._internal.shares import check_fraction, check_percentile, check_probability
from .._internal.threads import THREADS_PER_CORE_LIMIT, max_threads
from ..errors import InvalidInputError
from .errors import fail

Limit = Callable[[], "tuple[int, str]"]  # (the largest value, what that limit is), computed when checked


def _threads() -> tuple[int, str]:
    return max_threads(), f"the thread limit here ({THREADS_PER_CORE_LIMIT} per core)"


def _worker_processes() -> tuple[int, str]:
    import os

    return (WORKER_PROCESSES_PER_CORE_LIMIT * (os.cpu_count() or 1),
            f"the limit here ({WORKER_PROCESSES_PER_CORE_LIMIT} worker processes per core)")


def _seed_count() -> tuple[int, str]:
    return MAX_SEED_COUNT, "the most seeds one run takes"


def _count() -> tuple[int, str]:
    return MAX_DIM, "the largest count phase-router handles (2^31 - 1)"


# Integer options whose limit is not the default count limit, by parameter name.
INTEGER_LIMITS: dict[str, Limit] = {
    "threads": _threads,
    "jobs": _threads,
    "workers": _worker_processes,
    "seeds": _seed_count,
    "validation_seeds": _seed_count,
}

# Probability and share options, by parameter name: the checker of _internal/shares.py each
# takes, and the rule as its help states it (appended to the option's own help).
SHARE_OPTIONS: dict[str, Callable[[Any, str], float]] = {
    "percentile": check_percentile,
    "probability": check_probability,
    "target_fill": lambda value, name: check_fraction(value, name, one=True),
    "density": lambda value, name: check_fraction(value, name, zero=True, one=True),
    "high_fraction": lambda value, name: check_fraction(value, name, zero=True, one=True),
}
PERCENT_HELP = "Percent in [1, 100): 99 means 99 %; below 1 is refused as ambiguous."
SHARE_HELP = {"percentile": PERCENT_HELP, "probability": "A fraction in (0, 1): 0.9 means 90 %.",
              "target_fill": "A fraction in (0, 1]: 0.9 means 90 %.",
              "density": "A fraction in [0, 1]: 0.5 means 50 %.", "high_fraction": "A fraction in [0, 1]: 0.5 means 50 %."}


def option_spelling(declared: list[str]) -> str:
    """The option as the user typed it: the declared spelling found on the command line, else
    the first one declared."""
    for arg in sys.argv[1:]:
        for spelling in declared:
            if arg == spelling or arg.startswith(spelling + "="):
                return spelling
    return declared[0]


def _declared(name: str, info: Any) -> list[str]:
    names = [decl for decl in getattr(info, "param_decls", ()) or () if decl.startswith("-")]
    return names or ["--" + name.replace("_", "-")]


def _is_int(annotation: Any) -> bool:
    return annotation in (int, Optional[int], "int", "Optional[int]")


def checked_options(command: Callable[..., Any], minimums: Optional[dict[str, int]] = None) -> Callable[..., Any]:
    """`command` with its integer and share options checked first; `minimums` gives the lowest
    value of integer options that declare no minimum of their own."""
    import typer.models

    signature = inspect.signature(command)
    try:
        hints = __import__("typing").get_type_hints(command)
    except Exception:  # annotations that do not resolve: fall back to the raw ones
        hints = {}
    integers: list[tuple[str, list[str], Optional[int], Optional[int]]] = []
    shares: list[tuple[str, list[str]]] = []
    for param in signature.parameters.values():
        info = param.default
        if not isinstance(info, typer.models.OptionInfo):
            continue
        declared = _declared(param.name, info)
        if param.name in SHARE_OPTIONS:
            shares.append((param.name, declared))
            rule = SHARE_HELP[param.name]
            if rule not in (info.help or ""):
                info.help = f"{info.help} {rule}" if info.help else rule
        elif _is_int(hints.get(param.name, param.annotation)):
            low = info.min if info.min is not None else (minimums or {}).get(param.name)
            integers.append((param.name, declared, low, info.max))

    @functools.wraps(command)
    def run(**values: Any) -> Any:
        for name, declared, low, high in integers:
            value = values.get(name)
            if value is None:
                continue
            spelled = option_spelling(declared)
            if low is not None and value < low:
                fail(f"{spelled} {value} is less than {low}, the smallest it takes")
            limit, what = (high, "its limit") if high is not None else INTEGER_LIMITS.get(name, _count)()
            if value > limit:
                fail(f"{spelled} {value} is more than {limit}, {what}")
        for name, declared in shares:
            value = values.get(name)
            if value is not None:
                try:
                    SHARE_OPTIONS[name](value, option_spelling(declared))
                except InvalidInputError as exc:
                    fail(str(exc))
        return command(**values)

    run.__signature__ = signature  # type: ignore[attr-defined]
    return run

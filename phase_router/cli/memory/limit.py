"""`--max-memory SIZE`: the option every command takes, the size parser, the memory already in
use, and the check that refuses a run whose estimated peak resident memory is above the limit.

An estimate is the resident memory in use when the check runs (the interpreter, NumPy, the
extension and whatever the command read so far) plus the planned allocations of the work,
itemised by purpose. The per-command plans are in the sibling modules; docs/RELIABILITY.md
("Resource limits") has the measured peak against the estimate for each.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Optional

import typer

from ..._internal.memory import physical_memory
from ...errors import InvalidInputError, ResourceLimitError

FALLBACK_LIMIT = 4 * 2**30  # when the platform cannot tell us its physical memory
LARGEST_LIMIT = 2**63 - 1  # bytes; more is no limit a machine can have
REPORT_ENV = "PHASE_ROUTER_MEMORY_ESTIMATE"  # set to 1: print each estimate as JSON on stderr
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 10**3, "kib": 2**10, "m": 2**20, "mb": 10**6, "mib": 2**20,
          "g": 2**30, "gb": 10**9, "gib": 2**30, "t": 2**40, "tb": 10**12, "tib": 2**40}
_SIZE = re.compile(r"\s*(\d+)(?:\.(\d*))?\s*([a-zA-Z]*)\s*")


def max_memory_option(what: str = "run"):
    """The `--max-memory SIZE` option, worded for the command."""
    return typer.Option(None, "--max-memory", metavar="SIZE",
                        help=f"Refuse {'an' if what[0] in 'aeiou' else 'a'} {what} whose estimated peak memory is above this, e.g. 2GiB, 512M, "
                             "1.5GB (default: 80% of RAM).")


def parse_size(text: str) -> int:
    """'2GiB', '2G' (binary), '1.5GB' (decimal), '512M', '1000000' (bytes) -> bytes. Exact
    arithmetic (no float) on at most 30 digits each side of the point, so no spelling can
    overflow or make Python convert a huge digit string."""
    match = _SIZE.fullmatch(text)
    unit = match and match.group(3).lower()
    if not match or unit not in _UNITS:
        raise InvalidInputError(f"--max-memory must be a size such as 2GiB, 512M or 1.5GB, got {_short(text)}")
    fraction = (match.group(2) or "")[:30]  # finer than a byte at any unit
    if len(match.group(1).lstrip("0")) > 30:  # more than 10^30 bytes, before any conversion
        raise InvalidInputError(f"--max-memory must be at most {LARGEST_LIMIT} bytes (8 EiB), got {_short(text)}")
    from fractions import Fraction  # here: only a given --max-memory needs it (start-up)

    size = int((int(match.group(1)) + Fraction(int(fraction or 0), 10 ** len(fraction))) * _UNITS[unit])
    if size < 1:
        raise InvalidInputError(f"--max-memory must be positive, got {_short(text)}")
    if size > LARGEST_LIMIT:
        raise InvalidInputError(f"--max-memory must be at most {LARGEST_LIMIT} bytes (8 EiB), got {_short(text)}")
    return size


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else f"{text[:30]!r}... ({len(text)} characters)"


def resolve_limit(text: Optional[str]) -> int:
    return parse_size(text) if text is not None else default_max_memory()


def format_size(size: int) -> str:
    for unit, scale in (("EiB", 2**60), ("PiB", 2**50), ("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def default_max_memory() -> int:
    """80% of physical memory: the rest is for the OS, the page cache and other processes."""
    physical = physical_memory()
    return int(physical * 0.8) if physical is not None else FALLBACK_LIMIT


def resident_bytes() -> int:
    """Resident memory of this process now (/proc/self/statm); where there is no /proc, the peak so
    far (getrusage), which is never below it."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def check_memory(parts: dict[str, int], limit: int, *, what: str = "this routing",
                 advice: str = "lower k or --chunk-rows, or raise --max-memory") -> int:
    """Refuse (ResourceLimitError, one line) when the resident memory in use plus `parts` is above
    `limit`; return the estimate. Parts are byte counts by purpose (Python ints: no overflow)."""
    parts = {"in use": resident_bytes(), **{name: int(size) for name, size in parts.items()}}
    needed = sum(parts.values())
    if os.environ.get(REPORT_ENV) == "1":
        import json  # here: only this report needs it (start-up)

        print(f"phase-router: memory estimate {json.dumps({'what': what, 'estimate': needed, 'limit': limit, 'parts': parts})}",
              file=sys.stderr, flush=True)
    if needed > limit:
        shown = " + ".join(f"{name} {format_size(size)}" for name, size in parts.items() if size >= 2**20)
        raise ResourceLimitError(f"{what} would need {format_size(needed)} ({shown or 'small parts'}), more than "
                                 f"--max-memory {format_size(limit)}; {advice}")
    return needed

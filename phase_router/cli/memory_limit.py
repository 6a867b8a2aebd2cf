"""`--max-memory`: what a `route` run would need, estimated from M, E, k and the chunk size
before anything large is allocated, and refused with a breakdown when it is above the limit."""

from __future__ import annotations

import os
import re

from ..errors import InvalidInputError, ResourceLimitError

CHECKPOINT_BUDGET = 64 * 2**20  # core_cpp/source_arcs.hpp: SourceArcs::kDefaultBudgetBytes
FALLBACK_LIMIT = 4 * 2**30  # when the platform cannot tell us its physical memory
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 10**3, "kib": 2**10, "m": 2**20, "mb": 10**6, "mib": 2**20,
          "g": 2**30, "gb": 10**9, "gib": 2**30, "t": 2**40, "tb": 10**12, "tib": 2**40}


def parse_size(text: str) -> int:
    """'2GiB', '2G' (binary), '1.5GB' (decimal), '512M', '1000000' (bytes) -> bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([a-zA-Z]*)\s*", text)
    unit = match and match.group(2).lower()
    if not match or unit not in _UNITS:
        raise InvalidInputError(f"--max-memory must be a size such as 2GiB, 512M or 1.5GB, got {text!r}")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size < 1:
        raise InvalidInputError(f"--max-memory must be positive, got {text!r}")
    return size


def format_size(size: int) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def default_max_memory() -> int:
    """80% of physical memory: the rest is for the OS, the page cache and other processes."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.8)
    except (AttributeError, ValueError, OSError):
        return FALLBACK_LIMIT


def _planned_stride(E: int) -> int:
    """core_cpp/source_arcs.cpp SourceArcs::planned_stride, so the checkpoints are known up front."""
    words = (E + 63) // 64
    stride = 64
    while stride < E and (E // stride + 1) * words * 8 > CHECKPOINT_BUDGET:
        stride *= 2
    return stride


def router_state_bytes(M: int, E: int) -> int:
    """An upper bound of Router.memory_bytes (core_cpp/ring/router.cpp) plus the core's copies of s and
    t, from M and E alone: per-row arrays (20 bytes a row), sweep events and the prefix
    checkpoints (assumed present, as they are whenever one row is dense)."""
    arrays = 20 * M + 4 * E
    events = 4 * (M + 1 + 2 * E)
    checkpoints = (E // _planned_stride(E) + 1) * ((E + 63) // 64) * 8
    return arrays + events + checkpoints + 4 * (M + E)


def route_memory_parts(M: int, E: int, k: int, chunk_rows: int, *, threads: int, pbm: bool,
                       all_rows_at_once: bool = False, mask: bool = False) -> dict[str, int]:
    """Bytes by purpose for `route`: routes held at once (one chunk, or all M rows when the
    selection needs them together), prepared state, degrees and per-thread scratch."""
    rows = M if all_rows_at_once else min(M, chunk_rows)
    routes = rows * k * 4
    if pbm:  # the chunk's packed routing matrix and np.nonzero's index arrays
        routes += rows * ((E + 7) // 8 + 24 * k)
    threads = threads or os.cpu_count() or 1
    if mask:  # both matrices as bool, and at most every pair as a candidate (target id + index arrays)
        return {"routes": routes, "matrices": 2 * M * E, "candidate pairs": 28 * M * E,
                "scratch": threads * 16 * E}
    return {
        "routes": routes,
        "prepared state": router_state_bytes(M, E),
        # degrees as read (int64) and as routed (uint32); load totals per thread
        "inputs and loads": 12 * (M + E) + 8 * E * (threads + 2),
        "scratch": threads * (E + 4 * ((E + 63) // 64) * 8 + 4 * E),
    }


def check_memory(parts: dict[str, int], limit: int) -> None:
    needed = sum(parts.values())
    if needed > limit:
        shown = " + ".join(f"{name} {format_size(size)}" for name, size in parts.items() if size >= 2**20)
        raise ResourceLimitError(
            f"this routing would need {format_size(needed)} ({shown or 'small parts'}), more than "
            f"--max-memory {format_size(limit)}; lower k or --chunk-rows, or raise --max-memory"
        )

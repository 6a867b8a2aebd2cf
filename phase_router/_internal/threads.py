"""Thread counts: OpenMP threads of a kernel and the threads of a seed pool."""

from __future__ import annotations

import os

from .scalars import check_count

# Threads beyond this many per core only cost start-up (results never depend on the count); far
# beyond it, thread creation fails inside OpenMP and would take the process down.
THREADS_PER_CORE_LIMIT = 8


# A call whose work on one thread is under SMALL_CALL_NS runs on one thread unless told
# otherwise. On a machine whose cores are busy, a second thread that is descheduled makes the
# join wait a scheduler quantum (4-8 ms), which dwarfs such a call: measured with both cores
# busy, a 256-row routing took 651 us mean on both threads against 52 us on one, an 8192-row MoE
# batch (k = 1) 8 ms against 0.26 ms. Above it, the cores are used (OpenMP's default, so
# OMP_NUM_THREADS still holds); on a quiet machine that halves the time. The work is estimated
# per row and per route, from the kernel's own cost on the 2-core development machine (about
# 20 ns a row, 2 ns a route: bench-latency, bench-cpu-paths).
SMALL_CALL_NS = 1_000_000
ROW_NS = 20
ROUTE_NS = 2


def threads_for(rows: int, k: int, threads: int) -> int:
    """The thread count a kernel gets for `rows` rows of at most `k` routes: `threads` when given
    (> 0); else 1 for a call of less than SMALL_CALL_NS of work, 0 (all cores) otherwise.
    Results never depend on it."""
    if threads > 0:
        return threads
    return 1 if rows * (ROW_NS + ROUTE_NS * k) < SMALL_CALL_NS else 0


# One pass over packed bits or routes (counting a matrix's ones per row, summing routes per
# target) costs about 0.1 ns a byte on one thread (0.09 measured for packed rows, 0.13 for a
# routes summary), so the same SMALL_CALL_NS rule holds for it by its size in bytes.
SCAN_BYTE_NS = 0.1


def threads_for_scan(nbytes: int, threads: int = 0) -> int:
    """threads_for for one pass over `nbytes` bytes: `threads` when given (> 0); else 1 for less
    than SMALL_CALL_NS of work, 0 (all cores) otherwise."""
    if threads > 0:
        return threads
    return 1 if nbytes * SCAN_BYTE_NS < SMALL_CALL_NS else 0


def max_threads() -> int:
    return THREADS_PER_CORE_LIMIT * (os.cpu_count() or 1)


def check_threads(threads: object) -> int:
    """0 (OpenMP's default) or a positive thread count of at most 8 per core."""
    if threads is None:
        return 0
    # Up to THREADS_PER_CORE_LIMIT is within the limit on any machine, so the core count (a file
    # read on Linux, several µs) is asked only beyond it.
    if type(threads) is int and 0 <= threads <= THREADS_PER_CORE_LIMIT:
        return threads
    return check_count(threads, f"threads (at most {THREADS_PER_CORE_LIMIT} per core here)", minimum=0,
                       maximum=max_threads())


def check_workers(workers: object) -> int:
    """Threads of a seed pool: None (one per core) or 1..8 per core, like check_threads."""
    if workers is None:
        return os.cpu_count() or 1
    return check_count(workers, f"workers (at most {THREADS_PER_CORE_LIMIT} per core here)", minimum=1,
                       maximum=max_threads())

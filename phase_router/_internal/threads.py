"""Thread counts: OpenMP threads of a kernel and the threads of a seed pool."""

from __future__ import annotations

import os

from .scalars import check_count

# Threads beyond this many per core only cost start-up (results never depend on the count); far
# beyond it, thread creation fails inside OpenMP and would take the process down.
THREADS_PER_CORE_LIMIT = 8


# Below this many rows a call runs on one thread unless told otherwise: its work is tens of
# microseconds, and on a machine whose cores are busy a second thread that is descheduled makes
# the join wait a scheduler quantum (a 256-row routing: 52 us mean on one thread against 651 us on
# both, measured with both cores busy). From this size up the cores are used (OpenMP's default).
SMALL_CALL_ROWS = 2048


def threads_for(rows: int, threads: int) -> int:
    """The thread count a kernel gets for `rows` rows: `threads` when given (> 0); else 1 for a
    small call, 0 (all cores, or OMP_NUM_THREADS) otherwise. Results never depend on it."""
    if threads > 0:
        return threads
    return 1 if rows < SMALL_CALL_ROWS else 0


def max_threads() -> int:
    return THREADS_PER_CORE_LIMIT * (os.cpu_count() or 1)


def check_threads(threads: object) -> int:
    """0 (OpenMP's default) or a positive thread count of at most 8 per core."""
    if threads is None:
        return 0
    return check_count(threads, f"threads (at most {THREADS_PER_CORE_LIMIT} per core here)", minimum=0,
                       maximum=max_threads())


def check_workers(workers: object) -> int:
    """Threads of a seed pool: None (one per core) or 1..8 per core, like check_threads."""
    if workers is None:
        return os.cpu_count() or 1
    return check_count(workers, f"workers (at most {THREADS_PER_CORE_LIMIT} per core here)", minimum=1,
                       maximum=max_threads())

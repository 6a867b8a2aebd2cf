"""Where cells run: in this process, on a local thread pool (--jobs), or on a Dask cluster
(--scheduler). Each executor yields records as cells finish; closing the generator (Ctrl-C, an
error) cancels the cells not yet started. The records do not depend on the executor: run_cell is
a pure function of the cell, and only the timings differ.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from .._internal.optional import require
from ..errors import InvalidInputError
from .._internal.scheduler import SCHEDULER_CONNECT_TIMEOUT, check_scheduler_address
from .cell import run_cell
from .grid import Cell


def serial(cells: list[Cell]) -> Iterator[dict]:
    for cell in cells:
        yield run_cell(cell, threads=0)


def local_pool(cells: list[Cell], jobs: int) -> Iterator[dict]:
    """Threads suffice: the kernel and the NumPy work release the GIL. Each cell's kernel gets an
    equal share of the cores so concurrent cells do not oversubscribe them (the thread count never
    changes a result)."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sweep")
    pending = set()
    queue = iter(cells)
    try:
        # Keep at most 2 * jobs cells submitted, so an interrupt has little queued work to drop.
        for cell in queue:
            pending.add(pool.submit(run_cell, cell, threads))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(run_cell, nxt, threads))
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)


def dask_cluster(cells: list[Cell], address: str) -> Iterator[dict]:
    """Cells as Dask tasks on the scheduler at `address`. Workers need this package installed and,
    for file inputs, the same paths (the records name absolute paths)."""
    distributed = require("distributed", "distributed", "running a sweep on a Dask cluster (--scheduler)")
    try:
        client = distributed.Client(check_scheduler_address(address), timeout=SCHEDULER_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InvalidInputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    futures = []
    try:
        futures = [client.submit(run_cell, cell, 0, key=f"sweep-cell-{cell.cell_id}", pure=False)
                   for cell in cells]
        for future in distributed.as_completed(futures):
            yield future.result()
    finally:
        if futures:
            client.cancel(futures)
        client.close()

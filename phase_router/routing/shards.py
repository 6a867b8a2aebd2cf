"""Routing source-row shards on a Dask cluster (optional extra: phase-router[distributed]).

Each shard is a row range routed by its own Router on a worker; row ranges equal slices of the
full routing, so the assembled result is byte for byte what a local run produces.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Iterator

import numpy as np

from .._internal.scheduler import SCHEDULER_CONNECT_TIMEOUT, check_scheduler_address, check_worker_processes
from ..errors import InvalidInputError, PhaseRouterError
from .candidates import SOURCES
from .router import PreparedCandidates


class MissingExtraError(PhaseRouterError):
    """An optional dependency is not installed."""


def _route_shard(s: np.ndarray, t: np.ndarray, k: int, seed: int, row_perm: bool, strategy: str, select: str,
                 select_options: dict, candidates: str, start: int, stop: int) -> np.ndarray:
    router = SOURCES[candidates].prepare(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy, select=select,
                                         select_options=select_options)
    return router.route_rows(start, stop)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None):
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes: a
    scheduler in this process and single-threaded worker processes (LocalWorkers), which an
    interrupt kills at once, before it propagates."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtraError(
            "distributed routing needs Dask: pip install 'phase-router[distributed]'"
        ) from None
    if scheduler:
        check_scheduler_address(scheduler)
        try:
            client = Client(scheduler, timeout=SCHEDULER_CONNECT_TIMEOUT)
        except OSError as exc:
            raise PhaseRouterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    from distributed.deploy.spec import SpecCluster
    from distributed.worker_memory import parse_memory_limit

    from .._internal.dask_workers import LocalWorkers, worker_environment

    workers = 2 if workers is None else check_worker_processes(workers)
    # what LocalCluster gives each of its workers: an equal share of the memory
    memory_limit = parse_memory_limit("auto", 1, workers, logger=logging.getLogger(__name__))
    processes = LocalWorkers(workers, memory_limit, worker_environment())
    existing = set(SpecCluster._instances)
    try:  # the scheduler only, on a thread here; the workers are processes of our own (LocalWorkers)
        # No dashboard; the scheduler's other HTTP routes (health, metrics) on a free port: on
        # Dask's default, 8787, any other cluster on the machine would make it warn on stderr.
        cluster = LocalCluster(n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1",
                               dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    except KeyboardInterrupt:  # a signal while the scheduler starts: end the half-started cluster
        for started in set(SpecCluster._instances) - existing:
            _abandon(started)
        raise
    try:
        # The middle context: an interrupt while the client connects leaves a half-made client,
        # whose connection Dask logs as dangling when it is collected.
        with cluster, _quiet_on_interrupt(), Client(cluster) as client:
            try:
                processes.start(cluster.scheduler_address)
                processes.wait_connected(lambda: len(cluster.scheduler.workers))
                yield client
            except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: stop now, not after the running shards
                _quiet_dask()  # the scheduler and the client would log each lost worker and task
                processes.end()
                raise
    finally:
        # Without an interrupt, the workers end after the client and the scheduler have closed
        # (the scheduler tells them to close): killed under a scheduler still holding their
        # data, they would make it log the loss. However the block ended, none outlives it.
        processes.end()


def _abandon(cluster) -> None:
    """Ends a cluster whose start was interrupted. Dask would close it again at exit and, half
    started, print a traceback; so it is closed here, once, quietly."""
    _quiet_dask()
    cluster.shutdown_on_close = False  # not again from Dask's atexit hook
    with contextlib.suppress(Exception):
        cluster.close(timeout=2)


def _quiet_dask() -> None:
    """After an interrupt, Dask's logs of what the interrupt cut short would follow the
    command's one line."""
    for name in ("distributed", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@contextlib.contextmanager
def _quiet_on_interrupt():
    try:
        yield
    except KeyboardInterrupt:
        _quiet_dask()
        raise


def dask_chunks(router: PreparedCandidates, chunk_rows: int, client) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, routes) for each shard of chunk_rows rows, in row order. At most two shards
    per worker are in flight, so results do not pile up on the cluster. Only a row-local selection
    policy can be sharded, on a candidate source that prepares shards from the degrees; anything
    else is refused with the policy's or the source's reason."""
    if not router.policy.row_local:
        raise InvalidInputError(router.policy.not_row_local_because)
    SOURCES[router.candidates].check_route_options({"shards": True})
    s, t = client.scatter([router.s, router.t], broadcast=True)
    window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
    ranges = deque((a, min(router.M, a + chunk_rows)) for a in range(0, router.M, chunk_rows))
    pending: deque = deque()
    try:
        while ranges or pending:
            while ranges and len(pending) < window:
                a, b = ranges.popleft()
                future = client.submit(_route_shard, s, t, router.k, router.seed, router.row_perm,
                                       router.strategy, router.select, router.select_options, router.candidates,
                                       a, b, pure=False)
                pending.append((a, future))
            a, future = pending.popleft()
            yield a, future.result()
            future.release()
    finally:
        for _, future in pending:
            future.cancel()

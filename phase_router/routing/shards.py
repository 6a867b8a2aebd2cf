"""Routing source-row shards on a Dask cluster (optional extra: phase-router[distributed]).

Each shard is a row range routed by its own Router on a worker. Under a row-local policy, row
ranges equal slices of the full routing, so the assembled result is byte for byte what a local
run produces. A policy that is not row-local but declares a ``Sharding`` (balanced) runs its
shard kernel on the workers and reconciles the shards from their summaries; the routes of each
shard's last task are then computed again in row order (``DaskShards``). The result depends on
the shard plan only, not on the number of workers, and the same plan run in this process
(``route_on_shards`` without a client) gives the same bytes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections import deque
from collections.abc import Iterator

import numpy as np

from .._internal.scheduler import SCHEDULER_CONNECT_TIMEOUT, check_scheduler_address, check_worker_processes
from ..errors import InvalidInputError, PhaseRouterError
from .candidates import SOURCES
from .router import PreparedCandidates
from .selection.policy import ShardRunner, ShardTask


class MissingExtraError(PhaseRouterError):
    """An optional dependency is not installed."""


def _route_shard(token: str, s: np.ndarray, t: np.ndarray, k: int, seed: int, row_perm: bool, strategy: str,
                 select: str, select_options: dict, candidates: str, start: int, stop: int) -> np.ndarray:
    router = _prepare_shard_router(token, s, t, k, seed, row_perm, strategy, select, select_options, candidates)
    return router.route_rows(start, stop)


# A worker process keeps the router of the run it served last, so the shard tasks of one run
# prepare it once per worker instead of once per shard (at 2^24 rows preparing the ring takes
# about 1 s, balancing a shard of 2^20 rows under half that). Keyed by a token unique to the run,
# so a stale router is never used; the run's end drops it on every worker (_forget).
_PREPARED: dict[str, PreparedCandidates] = {}
_PREPARING = threading.Lock()


def _prepare_shard_router(token: str, s: np.ndarray, t: np.ndarray, k: int, seed: int, row_perm: bool,
                          strategy: str, select: str, select_options: dict, candidates: str) -> PreparedCandidates:
    with _PREPARING:
        router = _PREPARED.get(token)
        if router is None:
            _PREPARED.clear()
            router = SOURCES[candidates].prepare(s, t, k, seed=seed, row_perm=row_perm, strategy=strategy,
                                                 select=select, select_options=select_options)
            _PREPARED[token] = router
        return router


def _forget(token: str) -> None:
    with _PREPARING:
        _PREPARED.pop(token, None)


def _run_token() -> str:
    return uuid.uuid4().hex


def _whole_task(result: str, token: str, s: np.ndarray, t: np.ndarray, k: int, seed: int, row_perm: bool,
                strategy: str, select: str, select_options: dict, candidates: str, task: ShardTask):
    """A shard task on the whole routing's router (kept per worker for the run)."""
    router = _prepare_shard_router(token, s, t, k, seed, row_perm, strategy, select, select_options, candidates)
    routes, summary = router.policy.sharding.route_shard(router, task, None)
    return summary if result == "summary" else routes


def _window_task(result: str, s: np.ndarray, phase: int, M: int, t: np.ndarray, k: int, seed: int,  # noqa: N803
                 select: str, select_options: dict, candidates: str, task: ShardTask):
    """A shard task on its own rows only (the source's prepare_window): O(rows + E) memory."""
    router = SOURCES[candidates].prepare_window(s, task.begin, phase, M, t, k, seed=seed, select=select,
                                                select_options=select_options)
    routes, summary = router.policy.sharding.route_shard(router, task, None)
    return summary if result == "summary" else routes


class LocalShards(ShardRunner):
    """Shard tasks run one after another in this process, on the router given; each shard's
    routes are kept until read."""

    def __init__(self, router: PreparedCandidates, threads: int | None = None) -> None:
        self._router, self._threads = router, threads
        self._routes: dict[int, np.ndarray] = {}

    def run(self, tasks: list[ShardTask]) -> list[dict]:
        summaries = []
        for task in tasks:
            routes, summary = self._router.policy.sharding.route_shard(self._router, task, self._threads)
            self._routes[task.shard] = routes
            summaries.append(summary)
        return summaries

    def routes_in_order(self, shards: list[int]) -> Iterator[np.ndarray]:
        for shard in shards:
            yield self._routes.pop(shard)  # each shard's routes are read once, when written


class DaskShards(ShardRunner):
    """Shard tasks on a Dask cluster. Workers keep no routes between tasks: a task returns its
    summary, and once the reconciliation is done each shard's latest task runs again to give
    its routes, at most two per worker at a time, in row order. So a worker holds one shard at a
    time: with a source that prepares row windows (phase, rows in input order), its rows' state
    and routes only; otherwise the whole routing's router too, prepared once per worker."""

    def __init__(self, router: PreparedCandidates, client) -> None:
        self._client = client
        self._token = _run_token()
        source = SOURCES[router.candidates]
        self._windowed = source.prepare_window is not None and not router.row_perm
        self._s = router.s
        if self._windowed:
            E = router.E  # noqa: N806
            self._t = client.scatter(router.t, broadcast=True)
            # phase of row a: the degree sum of the rows before it, mod E
            self._before = np.concatenate(([0], np.cumsum(router.s, dtype=np.uint64))) % np.uint64(E)
            self._arguments = (router.k, router.seed, router.select, router.select_options, router.candidates)
        else:
            self._inputs = [self._token, *client.scatter([router.s, router.t], broadcast=True)]
            self._arguments = (router.k, router.seed, router.row_perm, router.strategy, router.select,
                               router.select_options, router.candidates)
        self._latest: dict[int, ShardTask] = {}
        self._pending: list = []

    def _submit(self, result: str, task: ShardTask):
        if self._windowed:
            return self._client.submit(_window_task, result, self._s[task.begin:task.end], int(self._before[task.begin]),
                                       int(self._s.size), self._t, *self._arguments, task, pure=False)
        return self._client.submit(_whole_task, result, *self._inputs, *self._arguments, task, pure=False)

    def run(self, tasks: list[ShardTask]) -> list[dict]:
        self._pending = [self._submit("summary", task) for task in tasks]
        summaries = self._client.gather(self._pending)
        self._pending = []
        for task in tasks:
            self._latest[task.shard] = task
        return summaries

    def routes_in_order(self, shards: list[int]) -> Iterator[np.ndarray]:
        window = max(2, 2 * len(self._client.scheduler_info().get("workers", {})))
        waiting = deque(shards)
        pending: deque = deque()
        self._pending = pending  # type: ignore[assignment]
        while waiting or pending:
            while waiting and len(pending) < window:
                pending.append(self._submit("routes", self._latest[waiting.popleft()]))
            future = pending.popleft()
            routes = future.result()
            future.release()
            yield routes

    def cancel(self) -> None:
        """Cancels the tasks in flight (an interrupt: nothing else is asked of the workers)."""
        for future in list(self._pending):
            future.cancel()
        self._pending = []

    def close(self) -> None:
        """The run is over: the whole routing's router, if workers prepared it, is dropped."""
        self.cancel()
        if not self._windowed:
            _forget_on_workers(self._client, self._token)


def _forget_on_workers(client, token: str) -> None:
    """Drops the run's router on every worker; a worker that is gone has nothing to drop."""
    with contextlib.suppress(Exception):
        client.run(_forget, token)


def shard_plan(M: int, rows_per_shard: int) -> list[tuple[int, int]]:  # noqa: N803
    """Row ranges of rows_per_shard rows (the last may be shorter) covering [0, M)."""
    return [(a, min(M, a + rows_per_shard)) for a in range(0, M, rows_per_shard)]


def reconciled_chunks(router: PreparedCandidates, plan: list[tuple[int, int]],
                      runner: ShardRunner) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, routes) per shard in row order, after the policy's reconciliation has run;
    its report becomes the router's selection report."""
    report = router.policy.sharding.reconcile(router, plan, runner)
    router.selection_report.update(report)
    for (a, _), routes in zip(plan, runner.routes_in_order(list(range(len(plan))))):
        yield a, routes


def route_on_shards(router: PreparedCandidates, rows_per_shard: int, *, client=None,
                    threads: int | None = None) -> np.ndarray:
    """All M x k routes of `router`, routed as shards of rows_per_shard rows: on the Dask
    `client`'s workers, or in this process when client is None (the same bytes either way, for
    any number of workers). A row-local policy gives the same routes as an unsharded run; a
    policy with a ``Sharding`` (balanced) gives its reconciled routes and reports what the
    reconciliation proved in ``router.selection_report``. Other policies are refused."""
    from .._internal.scalars import check_count

    rows_per_shard = check_count(rows_per_shard, "rows_per_shard")
    check_shardable(router)
    out = np.empty((router.M, router.k), dtype=np.int32)
    if client is not None:
        chunks = dask_chunks(router, rows_per_shard, client)
    elif router.policy.row_local:
        chunks = router.chunks(rows_per_shard, threads=threads)
    else:
        chunks = reconciled_chunks(router, shard_plan(router.M, rows_per_shard), LocalShards(router, threads))
    for first, routes in chunks:
        out[first:first + routes.shape[0]] = routes
    return out


def check_shardable(router: PreparedCandidates) -> None:
    """Refuses, with the policy's or the source's reason, what cannot be routed on shards."""
    if not router.policy.shardable:
        raise InvalidInputError(router.policy.not_row_local_because)
    SOURCES[router.candidates].check_route_options({"shards": True})


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


def _cancel_in_flight(stop: BaseException, cancel) -> None:
    """Cancels a run's tasks in flight. After an interrupt Dask is quieted first: a cancelled
    task ends the client's wait for it with an exception that asyncio logs, with a traceback,
    when the wait is collected, before the command's one line."""
    if isinstance(stop, KeyboardInterrupt):
        _quiet_dask()
    cancel()


@contextlib.contextmanager
def _quiet_on_interrupt():
    try:
        yield
    except KeyboardInterrupt:
        _quiet_dask()
        raise


def dask_chunks(router: PreparedCandidates, chunk_rows: int, client) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, routes) for each shard of chunk_rows rows, in row order. Under a row-local
    policy at most two shards per worker are in flight, so results do not pile up on the cluster;
    a policy with a ``Sharding`` is reconciled from the shards' summaries first, then its routes
    come the same way. Only a candidate source that prepares shards from the degrees can be
    sharded; anything else is refused with the policy's or the source's reason."""
    check_shardable(router)
    if not router.policy.row_local:
        runner = DaskShards(router, client)
        try:
            yield from reconciled_chunks(router, shard_plan(router.M, chunk_rows), runner)
        except BaseException as stop:  # an interrupt or an error: cancel, and ask nothing more of the cluster
            _cancel_in_flight(stop, runner.cancel)
            raise
        runner.close()
        return
    token = _run_token()
    s, t = client.scatter([router.s, router.t], broadcast=True)
    window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
    ranges = deque(shard_plan(router.M, chunk_rows))
    pending: deque = deque()
    try:
        while ranges or pending:
            while ranges and len(pending) < window:
                a, b = ranges.popleft()
                future = client.submit(_route_shard, token, s, t, router.k, router.seed, router.row_perm,
                                       router.strategy, router.select, router.select_options, router.candidates,
                                       a, b, pure=False)
                pending.append((a, future))
            a, future = pending.popleft()
            yield a, future.result()
            future.release()
    except BaseException as stop:  # an interrupt or an error: cancel, and ask nothing more of the cluster
        _cancel_in_flight(stop, lambda: [future.cancel() for _, future in pending])
        raise
    _forget_on_workers(client, token)

"""The worker processes of `route --workers N`'s local Dask cluster, started and ended by us.

Dask's own local workers (LocalCluster(processes=True)) are spawned by nannies through
multiprocessing, from the event loop's threads, with named semaphores in /dev/shm shared with
this process. A signal that ends this process while they start cannot be ordered against that:
the loop's threads keep spawning and creating semaphores while the interpreter exits, so a child
still in its bootstrap fails to open a semaphore the exiting parent already unlinked (and prints a
traceback after the command's last line), or the resource tracker finds semaphores nobody
unlinked (a warning, and files left in /dev/shm). So the workers here are plain
`subprocess` processes that connect to an in-process scheduler: no multiprocessing, so no shared
semaphores; each in a session of its own (Ctrl-C at a terminal reaches only the command, which
then kills each group); created under a lock that `end` takes, so no process starts after the
command decided to stop; killed and reaped before the command prints its last line.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from ..errors import PhaseRouterError

# A worker is a fresh interpreter importing NumPy, Dask and the core: seconds on a loaded
# machine; one that has not connected after this long will not.
WORKER_START_TIMEOUT = 120.0
# SIGKILL cannot be caught; this bounds only the wait for the kernel to end processes stuck in
# uninterruptible I/O, so a stuck disk cannot hang the command's exit.
REAP_TIMEOUT = 5.0
# The child's first statements, before anything of ours is imported: the parent's import path, as
# multiprocessing's spawn passes it, so the worker loads the same phase_router as the command.
_BOOTSTRAP = ("import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
              "from phase_router._internal.dask_workers import serve; serve(*sys.argv[2:])")


class LocalWorkers:
    """`count` single-threaded Dask worker processes, each with `memory_limit` bytes (None: no
    limit) and the environment `env`."""

    def __init__(self, count: int, memory_limit: int | None, env: dict[str, str]) -> None:
        self.count = count
        self.memory_limit = memory_limit or 0
        self.env = env
        self.directory: str | None = None
        self.processes: list[subprocess.Popen] = []
        self._lock = threading.Lock()
        self._ended = False
        self._error: BaseException | None = None

    def start(self, address: str) -> None:
        """Starts the processes for the scheduler at `address` on a thread of its own, which
        then replaces any that ends (as a nanny restarts its worker: without it, the routing
        would wait forever once every worker had died; a shard that keeps killing its workers
        fails after Dask's allowed failures). On a thread, because a signal interrupts only the
        main thread: a process is never created without being recorded here, and so killed by
        `end`."""
        started = threading.Event()
        thread = threading.Thread(target=self._keep_running, args=(address, started),
                                  name="phase-router local Dask workers", daemon=True)
        thread.start()
        started.wait()
        if self._error is not None:
            raise self._error

    def _keep_running(self, address: str, started: threading.Event) -> None:
        slots: list[subprocess.Popen | None] = [None] * self.count
        try:
            while True:
                for slot, process in enumerate(slots):
                    if process is None or process.poll() is not None:
                        if process is not None:
                            process.stdin.close()
                        slots[slot] = self._start_one(address)
                        if slots[slot] is None:  # ended, or the process could not start
                            return
                started.set()
                time.sleep(0.1)
        finally:
            started.set()

    def _start_one(self, address: str) -> subprocess.Popen | None:
        with self._lock:
            if self._ended:
                return None
            try:
                if self.directory is None:
                    # The workers' scratch space (spilled data, lock files): removed with them,
                    # since a killed worker never removes its own.
                    self.directory = tempfile.mkdtemp(prefix="phase-router-dask-")
                # a name of its own: a replacement may connect before the scheduler has dropped
                # the worker it replaces, and a second worker of one name is refused
                command = [sys.executable, "-c", _BOOTSTRAP, json.dumps(sys.path), address, str(len(self.processes)),
                           str(self.memory_limit), self.directory]
                # stdin: a pipe the worker watches to end with us if we die without `end`;
                # stdout: the command's own output (routes, --json) is never a worker's.
                process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=self.env,
                                           start_new_session=True)
            except OSError as exc:
                self._error = exc
                return None
            self.processes.append(process)
            return process

    def wait_connected(self, connected: Callable[[], int]) -> None:
        """Returns once `connected()` counts every worker; a worker that ends first, or does not
        connect in WORKER_START_TIMEOUT seconds, is an error."""
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while connected() < self.count:
            for process in self.processes:
                if process.returncode is not None or process.poll() is not None:
                    raise PhaseRouterError(f"a local Dask worker process ended while starting "
                                           f"(exit status {process.returncode}); see the messages above")
            if time.monotonic() > deadline:
                raise PhaseRouterError(f"the local Dask workers did not start within {WORKER_START_TIMEOUT:.0f} s")
            time.sleep(0.02)

    def end(self) -> None:
        """Kills every worker's process group at once and reaps it; no worker starts afterwards.
        Calling it again does no harm.
        A worker holds nothing of ours (its shard's routes are discarded or already received),
        and a graceful close would wait for the shard it is routing (seconds to minutes). Done on
        a thread of its own, so a signal arriving meanwhile cannot cut it short (leaving workers
        running): its interrupt is raised once every worker is gone."""
        thread = threading.Thread(target=self._end, name="phase-router local Dask workers' end", daemon=True)
        thread.start()
        interrupt: KeyboardInterrupt | None = None
        while thread.is_alive():
            try:
                thread.join()
            except KeyboardInterrupt as exc:
                interrupt = exc
        if interrupt is not None:
            raise interrupt

    def _end(self) -> None:
        with self._lock:  # a process being created is recorded first, then killed with the rest
            self._ended = True
        for process in self.processes:
            if process.returncode is not None:  # reaped: its id may be another process's by now
                continue
            with contextlib.suppress(OSError):  # ended already, group and all
                os.killpg(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + REAP_TIMEOUT
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.0, deadline - time.monotonic()))
            with contextlib.suppress(OSError):
                process.stdin.close()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


def worker_environment() -> dict[str, str]:
    """This process's environment with Dask's settings for a nanny's worker (OMP_NUM_THREADS=1
    and the like), given to the workers without changing this process's own."""
    import dask

    env = dict(os.environ)
    for key in ("distributed.nanny.pre-spawn-environ", "distributed.nanny.environ"):
        env.update({name: str(value) for name, value in (dask.config.get(key, default=None) or {}).items()})
    return env


def _end_with_parent() -> None:
    """The parent holds the write end of stdin and never writes: end of file means it is gone
    (killed before it could end us), and a worker left behind would route on for minutes. The
    descriptor, not sys.stdin: a daemon thread blocked in a buffered read holds its lock, and an
    interpreter exiting meanwhile (the scheduler closed first) aborts with a fatal error."""
    try:
        while os.read(0, 65536):
            pass
    finally:
        os._exit(0)


def serve(address: str, name: str, memory_limit: str, directory: str) -> None:
    """A worker process's main: one thread, until the scheduler closes or the parent ends it."""
    threading.Thread(target=_end_with_parent, daemon=True).start()
    import asyncio
    import logging

    from distributed import Worker

    logging.getLogger("distributed").setLevel(logging.WARNING)  # as a LocalCluster's workers

    async def run() -> None:
        async with Worker(address, nthreads=1, name=name, memory_limit=int(memory_limit) or None,
                          local_directory=directory, host="127.0.0.1") as worker:
            await worker.finished()

    asyncio.run(run())

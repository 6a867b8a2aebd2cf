"""Dask settings: local worker processes and a scheduler's address, checked before Dask starts
or connects."""

from __future__ import annotations

import os
import re

from ..errors import InvalidInputError
from .scalars import check_count, show

# A Dask worker is a whole Python process; more than this many per core only thrash, and
# 100,000 of them never finish starting.
WORKER_PROCESSES_PER_CORE_LIMIT = 8
# How long a client waits for a scheduler that does not answer: an address of the right form
# that nobody serves fails in seconds, not after Dask's default 30 s.
SCHEDULER_CONNECT_TIMEOUT = "5s"
# Compiled on first use (re caches it), not when every command loads this module.
_SCHEDULER = r"^inproc://\S+$|^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})$"


def check_worker_processes(workers: object, name: str = "workers") -> int:
    """A count of local Dask worker processes: 1 to 8 per core."""
    limit = WORKER_PROCESSES_PER_CORE_LIMIT * (os.cpu_count() or 1)
    return check_count(workers, f"{name} (at most {WORKER_PROCESSES_PER_CORE_LIMIT} worker processes per core here)",
                       maximum=limit)


def check_scheduler_address(address: object) -> str:
    """A Dask scheduler address, [protocol://]host:port (e.g. tcp://10.0.0.5:8786), checked by
    its form before any connection is tried."""
    match = re.match(_SCHEDULER, address) if isinstance(address, str) else None
    if match is None or (match.group(1) is not None and not 1 <= int(match.group(1)) <= 65535):
        raise InvalidInputError(f"the scheduler address must be [protocol://]host:port with a port 1-65535 "
                                f"(e.g. tcp://10.0.0.5:8786), got {show(address)}")
    return address

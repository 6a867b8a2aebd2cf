"""Measuring an estimate against reality: run the installed CLI in a child process with the
estimate report on (PHASE_ROUTER_MEMORY_ESTIMATE=1), and read the child's own peak resident
memory from os.wait4 (the kernel's ru_maxrss for that child alone), in a small launcher. Used by
tests/reliability/test_memory_estimates.py and benchmarks/bench_memory_estimate.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from .limit import REPORT_ENV

_PREFIX = "phase-router: memory estimate "


@dataclass(frozen=True)
class ProbeResult:
    returncode: int
    stderr: str
    estimates: list  # every estimate the run printed (dicts: what, estimate, limit, parts)
    peak_rss: int  # bytes

    @property
    def estimate(self) -> int:
        """The largest estimate the run made (a command checks once per planned stage)."""
        return max(entry["estimate"] for entry in self.estimates)

    @property
    def ratio(self) -> float:
        return self.peak_rss / self.estimate


def cli_command() -> list[str]:
    """The installed `phase-router` next to this interpreter, else `python -m phase_router`."""
    script = os.path.join(os.path.dirname(sys.executable), "phase-router")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "phase_router"]


# The child is started by this small launcher, not forked from the caller: Linux keeps the
# largest RSS a process ever had across exec, and a fork of a large caller (pytest) would report
# the caller's size. The launcher (a bare interpreter, about 10 MiB) forks the command itself.
_LAUNCHER = """
import os, resource, sys
limit = int(sys.argv[1])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def probe(args, *, cwd: str | None = None, address_space: int | None = None) -> ProbeResult:
    """Run `phase-router ARGS`; optionally under an address-space limit (RLIMIT_AS), so a missing
    check ends in MemoryError rather than a refusal."""
    env = {**os.environ, REPORT_ENV: "1"}
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(address_space or 0), *cli_command(),
                           *map(str, args)], cwd=cwd, env=env, capture_output=True)
    err = done.stderr.decode(errors="replace")
    maxrss, returncode = (int(x) for x in done.stdout.split())
    estimates = [json.loads(line[len(_PREFIX):]) for line in err.splitlines() if line.startswith(_PREFIX)]
    rest = "\n".join(line for line in err.splitlines() if not line.startswith(_PREFIX))
    peak = maxrss if sys.platform == "darwin" else maxrss * 1024
    return ProbeResult(returncode, rest, estimates, peak)

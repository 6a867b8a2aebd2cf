"""Measuring an estimate against reality: run the installed CLI in a child process with the
estimate report on (PHASE_ROUTER_MEMORY_ESTIMATE=1), and read the child's own peak resident
memory from os.wait4 (the kernel's ru_maxrss for that child alone). Used by
tests/test_memory_estimates.py and benchmarks/bench_memory_estimate.py."""

from __future__ import annotations

import json
import os
import resource
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


def probe(args, *, cwd: str | None = None, address_space: int | None = None) -> ProbeResult:
    """Run `phase-router ARGS`; optionally under an address-space limit (RLIMIT_AS), so a missing
    check ends in MemoryError rather than a refusal."""
    env = {**os.environ, REPORT_ENV: "1"}

    def limit_child() -> None:
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    with subprocess.Popen([*cli_command(), *map(str, args)], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, preexec_fn=limit_child) as child:
        try:
            err = child.stderr.read().decode(errors="replace")
        finally:
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
    estimates = [json.loads(line[len(_PREFIX):]) for line in err.splitlines() if line.startswith(_PREFIX)]
    rest = "\n".join(line for line in err.splitlines() if not line.startswith(_PREFIX))
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return ProbeResult(child.returncode, rest, estimates, peak)

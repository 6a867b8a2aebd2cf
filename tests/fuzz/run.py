"""`make fuzz`: run every fuzz target for a bounded time and print what ran and what was found.

    python tests/fuzz/run.py [--seconds-per-target N] [--memory-limit-mib N] [TARGET ...]

Inputs come from Hypothesis (tests/fuzz/strategies.py: mutated corpus files and file grammars).
A finding is any exception other than PhaseRouterError, a message that is not one line, a run
longer than --timeout (a hang) or an allocation beyond the address-space limit (MemoryError).
Each finding's input is saved under build/fuzz/findings/<target>/ to become a regression test;
the exit status is 1 if there were findings.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, so `fuzz` imports

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from fuzz.strategies import STRATEGIES  # noqa: E402
from fuzz.targets import ROOT, TARGETS, Workspace, run_one  # noqa: E402

FINDINGS = ROOT / "build" / "fuzz" / "findings"
BATCH = 500  # examples per Hypothesis run; runs repeat until the target's time is up


class Hang(BaseException):
    """Raised by the timer; a BaseException so that no reader's `except Exception` hides it."""


def _on_alarm(signum, frame):
    raise Hang("input took longer than the per-input timeout")


def fuzz_target(name: str, seconds: float, timeout: float, ws: Workspace) -> tuple[int, dict[str, int], dict]:
    counts = {"ok": 0, "rejected": 0, "finding": 0}
    findings: dict[str, Path] = {}  # signature -> saved input
    deadline = time.monotonic() + seconds

    @settings(max_examples=BATCH, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[name])
    def one(data: bytes) -> None:
        if time.monotonic() > deadline:
            return
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            counts[run_one(name, ws, data)] += 1
        except (Exception, Hang) as exc:  # a finding: record it and keep fuzzing
            counts["finding"] += 1
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            message = re.sub(r"\d+", "N", str(exc).replace(str(ws.directory), "<dir>"))  # same bug, one finding
            signature = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}: {message[:120]}"
            if signature not in findings:
                where = FINDINGS / name
                where.mkdir(parents=True, exist_ok=True)
                path = where / f"crash-{hashlib.sha1(data).hexdigest()[:12]}.bin"
                path.write_bytes(data)
                findings[signature] = path
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    while time.monotonic() < deadline:
        one()
    return sum(counts.values()), counts, findings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"some of {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--seconds-per-target", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take")
    parser.add_argument("--memory-limit-mib", type=int, default=4096,
                        help="address-space limit, so an over-allocation fails loudly instead of swapping")
    args = parser.parse_args()
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets {sorted(unknown)}; known: {', '.join(TARGETS)}")
    args.targets = args.targets or list(TARGETS)
    if args.memory_limit_mib:
        limit = args.memory_limit_mib * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)

    total, report = 0, []
    with tempfile.TemporaryDirectory(prefix="phase-router-fuzz-") as scratch:
        ws = Workspace(scratch)
        for name in args.targets:
            executions, counts, findings = fuzz_target(name, args.seconds_per_target, args.timeout, ws)
            total += executions
            report.append((name, executions, counts, findings))
            print(f"{name:13s} {executions:8d} inputs  ok {counts['ok']:7d}  rejected {counts['rejected']:7d}  "
                  f"findings {counts['finding']}", flush=True)
            for signature, path in findings.items():
                print(f"    {signature}\n      input: {path.relative_to(ROOT)}", flush=True)
    found = sum(len(f) for *_, f in report)
    print(f"fuzz summary: {total} inputs over {len(report)} targets, {found} distinct findings"
          + (f" (inputs in {FINDINGS.relative_to(ROOT)})" if found else ""))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

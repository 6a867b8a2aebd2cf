"""tests/warm_process.py stands in for a new process in other tests, so it must answer as one:
the same exit status (including death by a signal), the same bytes on stdout and stderr, stdin
and stdout as pipes, the working directory, the environment, module state that does not leak
from one command into the next, and a timeout that kills."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import warm_process

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PROBE = """
import os, stat, sys
print(sys.argv[1:], os.getcwd(), os.environ.get("COLUMNS"))
print(stat.S_ISFIFO(os.fstat(0).st_mode), stat.S_ISFIFO(os.fstat(1).st_mode), sys.stdin.read())
print("to stderr", file=sys.stderr)
"""

COMMANDS = [
    ([warm_process.CONSOLE_SCRIPT, "route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 4, "--out", "-"], None),
    ([warm_process.CONSOLE_SCRIPT, "route", SAMPLES / "S.pbm", SAMPLES / "rect_T.npy", "-k", 4], None),
    ([warm_process.CONSOLE_SCRIPT, "route"], None),
    ([warm_process.CONSOLE_SCRIPT, "gen", "uniform", "--shape", "8", "--out", "-", "T.pbm"], None),
    ([sys.executable, "-m", "phase_router", "capacity", "-", SAMPLES / "T.pbm", "-k", 3, "--json", "--seeds", 2],
     (SAMPLES / "S.pbm").read_bytes()),
    ([sys.executable, "-c", PROBE, "a", "b c"], b"from stdin"),
    ([sys.executable, "-c", "import sys; sys.exit('a message')"], None),
    ([sys.executable, "-c", "raise ValueError('boom')"], None),
    ([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"], None),
    ([sys.executable, "-c", "raise KeyboardInterrupt"], None),
    ([sys.executable, "-c", "import atexit; atexit.register(print, 'at exit'); print('body')"], None),
]


TIMING = re.compile(rb"[0-9][0-9.,]* ?(ms|s|MiB/s)\b")


def _comparable(text: bytes) -> bytes:
    """Timings differ between any two runs (the route table's time row, gen's throughput);
    everything else must not."""
    lines = (line for line in text.splitlines() if b"time " not in line)
    return b"\n".join(TIMING.sub(b"<time>", line) for line in lines)


@pytest.mark.parametrize(("args", "stdin"), COMMANDS, ids=lambda value: None if value is None else str(value)[-40:])
def test_the_same_answer_as_a_new_interpreter(tmp_path: Path, args, stdin) -> None:
    args = [str(arg) for arg in args]
    env = {**os.environ, "COLUMNS": "97"}
    warm = warm_process.run(args, cwd=tmp_path, env=env, input=stdin, text=False)
    new = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, timeout=300,
                         **({"stdin": subprocess.DEVNULL} if stdin is None else {"input": stdin}))
    assert warm.returncode == new.returncode, (warm.stderr, new.stderr)
    assert _comparable(warm.stdout) == _comparable(new.stdout)
    # a traceback names the frames it passed; the server's own frames are not the command's
    warm_err = [line for line in _comparable(warm.stderr).splitlines() if not line.startswith(b"  ")]
    new_err = [line for line in _comparable(new.stderr).splitlines() if not line.startswith(b"  ")]
    assert warm_err == new_err


def test_module_state_does_not_leak_between_commands() -> None:
    patch = "import phase_router.io.npy as npy; print(getattr(npy, 'CHUNK_BYTES', None)); npy.CHUNK_BYTES = 3"
    first = warm_process.run([sys.executable, "-c", patch])
    second = warm_process.run([sys.executable, "-c", patch])
    assert first.returncode == second.returncode == 0 and first.stdout == second.stdout != "3\n"


def _another_omp_value() -> str:
    """An OMP_NUM_THREADS other than this process's (Dask sets it to 1 here when it starts a
    local cluster, so a test cannot assume it unset)."""
    return "2" if os.environ.get("OMP_NUM_THREADS") == "1" else "1"


def test_a_start_up_variable_means_a_new_interpreter() -> None:
    """The CPU path and OpenMP are chosen while the core loads: a change there cannot be forked."""
    show = "import os; print(os.getppid())"
    server_child = warm_process.run([sys.executable, "-c", show])
    changed = warm_process.run([sys.executable, "-c", show], env={**os.environ, "OMP_NUM_THREADS": _another_omp_value()})
    assert int(changed.stdout) == os.getpid() != int(server_child.stdout)


def test_a_timeout_kills_the_command() -> None:
    with pytest.raises(subprocess.TimeoutExpired):
        warm_process.run([sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)
    assert warm_process.run([sys.executable, "-c", "print('next')"]).stdout == "next\n"


def test_a_changed_environment_here_restarts_the_server(monkeypatch) -> None:
    """A test that changes this process's start-up variables gets a server started under them,
    and the next test, with them put back, one started under those."""
    show = "import os; print(os.environ.get('OMP_NUM_THREADS'), os.getppid())"
    before = warm_process.run([sys.executable, "-c", show]).stdout.split()
    value = _another_omp_value()
    with monkeypatch.context() as patched:
        patched.setenv("OMP_NUM_THREADS", value)
        during = warm_process.run([sys.executable, "-c", show]).stdout.split()
    assert during[0] == value and during[1] != str(os.getpid()) and during[1] != before[1]
    after = warm_process.run([sys.executable, "-c", show]).stdout.split()
    assert after[0] == before[0] and after[1] != during[1]

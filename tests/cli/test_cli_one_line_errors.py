"""Class "tracebacks and boxes instead of one line": usage errors of the installed command
(a bad option value, an unknown option, a missing argument) are one line on stderr with exit 2,
and thread counts are limited before any thread is made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from main_in_process import run_main

import phase_router as pr
from phase_router._internal.threads import max_threads

ROOT = Path(__file__).resolve().parents[2]
S, T = ROOT / "samples/S.pbm", ROOT / "samples/T.pbm"


def cli(*args: str):
    """main() in this process: what it prints and returns is what the command does (the console
    script itself is started in tests/cli/test_cli.py)."""
    return run_main(args)


@pytest.mark.parametrize("args", [
    ("route", str(S), str(T), "-k", "0"),
    ("route", str(S), str(T), "-k", "2", "--seed", "-1"),
    ("route", str(S), str(T), "-k", "2", "--threads", "-1"),
    ("route", str(S), str(T), "-k", "2", "--chunk-rows", "0"),
    ("route", str(S), str(T), "-k", "2", "--no-such-option"),
    ("route", str(S), str(T), "-k", "two"),
    ("gen", "uniform", "--out", "a.pbm", "b.pbm"),  # --shape missing
])
def test_usage_errors_are_one_line(args) -> None:
    done = cli(*args)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("phase-router: error: ") and "-h" in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_threads_are_limited_per_core(tmp_path: Path) -> None:
    done = cli("route", str(S), str(T), "-k", "2", "--threads", str(max_threads() + 1), "--out", str(tmp_path / "r.npy"))
    assert done.returncode == 2 and "threads" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.npy").exists() and not list(tmp_path.iterdir())  # no .partial left
    with pytest.raises(pr.InvalidInputError, match="per core"):
        pr.route_degrees([1, 1], [1, 1], 1, threads=max_threads() + 1)
    assert pr.route_degrees([1, 1], [1, 1], 1, threads=max_threads()).routes.shape == (2, 1)
    assert os.cpu_count()

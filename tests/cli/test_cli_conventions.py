"""CLI conventions: python -m, -h, completion, '-' for stdin/stdout, help text that
keeps its brackets, no wrapping or colour off a terminal, lowercase-safe argument names."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import phase_router as pr
from phase_router.cli import app

import warm_process

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
runner = CliRunner()


def cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "60", **(env or {})}
    return warm_process.run([sys.executable, "-m", "phase_router", *args], input=stdin, env=env, text=False)


def test_python_dash_m_and_dash_h() -> None:
    done = cli("-h")
    assert done.returncode == 0 and b"Usage:" in done.stdout and b"route" in done.stdout
    assert cli("route", "-h").returncode == 0


def test_completion_options_exist() -> None:
    # Typer detects the shell from the parent processes (under make: sh, which it does not
    # support); its test switch makes --show-completion take the shell by name instead.
    done = cli("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert done.returncode == 0 and b"complete -o default -F" in done.stdout, done.stdout[:300] + done.stderr[-600:]
    assert "--install-completion" in runner.invoke(app, ["--help"]).output


@pytest.mark.parametrize(("command", "extra"), [("route", "phase-router[distributed]"), ("sweep", "phase-router[plot]")])
def test_help_keeps_the_extras_in_brackets(command: str, extra: str) -> None:
    for env in ({}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}):
        output = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200", **env}).output
        assert extra in re.sub(r"\s+", "", output)  # however the help wraps


def test_uppercase_metavars_but_lowercase_parameters() -> None:
    """click 8.1 lowercases argument names; parameters named S and T broke every typer < 0.13."""
    done = cli("route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "3", "--json")
    assert done.returncode == 0, done.stderr
    usage = next(line for line in cli("route", "-h").stdout.splitlines() if b"Usage:" in line)
    assert re.search(rb"\[?S\]? \[?T\]?\s*$", usage), usage  # S and T, however typer draws them


def test_route_reads_stdin_and_writes_csv_to_stdout() -> None:
    S, T = (SAMPLES / "S.pbm"), (SAMPLES / "T.pbm")
    expected = pr.route(pr.io.read_matrix(S), pr.io.read_matrix(T), 5, seed=2).routes
    done = cli("route", "-", str(T), "-k", "5", "--seed", "2", "--out", "-", stdin=S.read_bytes())
    assert done.returncode == 0, done.stderr
    assert np.array_equal(np.loadtxt(io.BytesIO(done.stdout), delimiter=",", dtype=np.int32), expected)
    assert b"<stdin>" in done.stderr and b"<stdout>" in done.stderr  # the table moved to stderr


def test_out_dash_as_npy_bytes() -> None:
    done = cli("route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4", "--out", "-", "--out-format", "npy")
    assert done.returncode == 0, done.stderr
    routes = np.load(io.BytesIO(done.stdout))
    assert routes.dtype == np.int32 and routes.shape == (256, 4)


def test_stats_dash_is_json_on_stdout_and_the_table_on_stderr() -> None:
    done = cli("route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4", "--stats", "-")
    assert done.returncode == 0
    assert json.loads(done.stdout)["stats"]["k"] == 4
    assert b"phase-router route" in done.stderr


@pytest.mark.parametrize("args", [["--out", "-", "--stats", "-"], ["--out", "-", "--json"], ["--pbm", "-", "--stats", "-"]])
def test_two_outputs_on_stdout_are_refused(args: list[str]) -> None:
    done = cli("route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4", *args)
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.count(b"\n") == 1 and b"only one output can go to standard output" in done.stderr


def test_two_stdin_inputs_and_bad_stdin_are_one_line() -> None:
    done = cli("route", "-", "-", "-k", "2", stdin=b"")
    assert done.returncode == 2 and b"only one input can be '-'" in done.stderr
    done = cli("capacity", "-", str(SAMPLES / "T.pbm"), "-k", "2", stdin=b"garbage")
    assert done.returncode == 2 and done.stderr.startswith(b"phase-router: error: <stdin>: not a PBM")


def test_gen_to_stdout_feeds_capacity_from_stdin(tmp_path: Path) -> None:
    gen = cli("gen", "uniform", "--shape", "40x20", "--out", "-", str(tmp_path / "T.pbm"))
    assert gen.returncode == 0 and gen.stdout.startswith(b"P4")
    done = cli("capacity", "-", str(tmp_path / "T.pbm"), "-k", "3", "--json", stdin=gen.stdout)
    assert done.returncode == 0, done.stderr


def test_a_failed_run_writes_nothing_to_stdout() -> None:
    done = cli("route", str(SAMPLES / "S.pbm"), str(SAMPLES / "rect_T.npy"), "-k", "4", "--out", "-")
    assert done.returncode == 2 and done.stdout == b""


def test_tables_do_not_wrap_or_colour_off_a_terminal(tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-directory-name-" * 4)
    deep.mkdir()
    out = deep / "routes-with-a-long-name.csv"
    done = cli("route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4", "--out", str(out))
    assert done.returncode == 0
    assert str(out).encode() in done.stdout  # on one line despite COLUMNS=60
    assert b"\x1b[" not in done.stdout


def test_sweep_reads_its_config_from_stdin(tmp_path: Path) -> None:
    config = (ROOT / "configs" / "smoke.yaml").read_text()
    done = warm_process.run([sys.executable, "-m", "phase_router", "sweep", "-", "--out", tmp_path / "s"],
                            input=config.encode(), cwd=ROOT / "configs", text=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "s" / "results.csv").is_file()


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    np.save(tmp_path / "s.npy", np.full(100_000, 50))
    np.save(tmp_path / "t.npy", np.full(100, 50_000))
    command = (f"{sys.executable} -m phase_router route --degrees {tmp_path / 's.npy'} {tmp_path / 't.npy'} "
               f"-k 8 --out - | head -c 10; exit ${{PIPESTATUS[0]}}")
    done = subprocess.run(["bash", "-c", command], capture_output=True)
    assert len(done.stdout) == 10
    assert done.stderr == b"" and done.returncode == 141

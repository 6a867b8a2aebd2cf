"""Every table and summary the CLI prints fits 100 columns: on a terminal it wraps to the
terminal's width, capped at 100 columns however wide the terminal is; into a pipe the tables
are laid out narrow enough by themselves (compare-hash's eleven figures as two tables, each
verdict a line per comparison), so only a long file path can make a row longer."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phase_router.cli import app, render

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COMMANDS = {
    "route": ["route", "S.pbm", "T.pbm", "-k", "4"],
    "route --select balanced": ["route", "S.pbm", "T.pbm", "-k", "4", "--select", "balanced"],
    "gen": ["gen", "uniform", "--shape", "96x64", "--out", "S2.pbm", "T2.pbm"],
    "capacity": ["capacity", "S.pbm", "T.pbm", "-k", "4", "--seeds", "3"],
    "capacity --moe": ["capacity", "--moe", "--tokens", "256", "--experts", "16", "-k", "2", "--seeds", "3"],
    "suggest-k": ["suggest-k", "S.pbm", "T.pbm", "--target-skew", "1.5", "--seeds", "3", "--k-max", "8"],
    "compare-hash": ["compare-hash", "S.pbm", "T.pbm", "-k", "4", "--seeds", "3"],
    "compare-hash --scenario": ["compare-hash", "--scenario", "power-law", "--shape", "64x48", "-k", "4", "--seeds", "2"],
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("tables")
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        assert CliRunner().invoke(app, ["gen", "uniform", "--shape", "96x64", "--density", "0.2",
                                        "--out", "S.pbm", "T.pbm"]).exit_code == 0
    finally:
        os.chdir(cwd)
    return directory


def _lines(args: list[str], workdir: Path, columns: int, monkeypatch, terminal: bool) -> list[str]:
    monkeypatch.chdir(workdir)
    monkeypatch.setattr(render, "is_terminal", lambda stream: terminal)
    result = CliRunner().invoke(app, args, env={"COLUMNS": str(columns)})
    assert result.exit_code in (0, 1), result.output  # suggest-k: 1 when no k meets the target
    text = ANSI.sub("", result.stdout)  # stderr: warnings and errors, one line each by convention
    assert text.strip()
    return text.splitlines()


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("columns", [80, 100, 250])
def test_on_a_terminal_no_line_is_wider_than_the_terminal_or_100(name: str, columns: int, workdir: Path,
                                                                  monkeypatch) -> None:
    lines = _lines(COMMANDS[name], workdir, columns, monkeypatch, terminal=True)
    widest = max(lines, key=len)
    assert len(widest) <= min(columns, 100), widest


@pytest.mark.parametrize("name", ["compare-hash", "compare-hash --scenario", "capacity", "capacity --moe", "suggest-k", "route"])
def test_in_a_pipe_the_tables_fit_by_themselves(name: str, workdir: Path, monkeypatch) -> None:
    lines = _lines(COMMANDS[name], workdir, 300, monkeypatch, terminal=False)
    widest = max(lines, key=len)
    assert len(widest) <= 100, widest


def test_compare_hash_keeps_every_figure_and_verdict(workdir: Path, monkeypatch) -> None:
    text = "\n".join(_lines(COMMANDS["compare-hash"], workdir, 80, monkeypatch, terminal=False))
    for title in ("max/mean", "max(L/t)/mean", "max L/t", "std/mean", "Gini", "fill", "drop@1.0", "drop@1.25", "ms"):
        assert title in text
    assert text.count("verdict: ") >= 2 and "phase vs hash:" in text and "like for like:" in text


@pytest.mark.parametrize("terminal", [True, False])
def test_a_sweep_with_plots_reports_within_100_columns(terminal: bool, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "tiny.yaml").write_text("shapes: [{N: 16}, {N: 32}]\nk: [2]\ninputs: [{generator: uniform}]\n"
                                        "routers: [phase, hash, two-choice]\nexpect: [{metric: skew, max: 100}]\n")
    lines = _lines(["sweep", "tiny.yaml", "--out", "a-long-output-directory-name/for-this-sweep", "--plots"],
                   tmp_path, 250, monkeypatch, terminal=terminal)
    assert len(max(lines, key=len)) <= 100, lines
    assert any("loads_two-choice_uniform-density-0.5_32x32_k2_seed0.png" in line for line in lines)

"""Config errors in phase-router's own words, whatever the pydantic release: each problem a line
`FILE: key.path: what is wrong`, every problem listed (the first ten, then a count), and a
config read from standard input named <stdin>."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.sweep.config_errors import MAX_SHOWN
from phase_router.sweep.loader import ConfigError, parse_config

import warm_process

GOOD = {"shapes": [{"N": 16}], "k": [2], "inputs": [{"generator": "uniform", "density": 0.5}]}
PYDANTIC_WORDS = ("Input should", "Value error", "valid integer", "greater than or equal", "less than or equal",
                  "literal_error", "type=", "pydantic")


def problems(config: dict, tmp_path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(config, tmp_path / "sweep.yaml")
    lines = info.value.lines  # a line per problem, for the CLI
    assert all(line.startswith(f"{tmp_path / 'sweep.yaml'}: ") for line in lines), lines
    found = [line.split(": ", 1)[1] for line in lines]
    text = str(info.value)  # one line, as every PhaseRouterError: the file once, then every problem
    assert "\n" not in text and text == f"{tmp_path / 'sweep.yaml'}: " + " | ".join(found)
    for words in PYDANTIC_WORDS:
        assert words not in text, text
    return found


@pytest.mark.parametrize("change, expected", [
    ({"seeds": 0}, "seeds: must be at least 1, got 0 (int)"),
    ({"repetitions": 1001}, "repetitions: must be at most 1000, got 1001 (int)"),
    ({"k": ["8"]}, "k[0]: must be an integer, got '8' (str)"),
    ({"expect": [{"metric": "skew", "max": 1, "over": "best"}]},
     "expect[0].over: 'best' is not one of cell, median, max, min, mean"),
    ({"options": {"strategy": "fast"}}, "options.strategy[0]: 'fast' is not one of auto, dense, sparse"),
    ({"options": {"row_perm": "yes"}}, "options.row_perm[0]: must be true or false, got 'yes' (str)"),
    ({"inputs": []}, "inputs: must have at least 1 item, got [] (list)"),
    ({"expect": [{"metric": "skew", "max": "1.2"}]}, "expect[0].max: must be a number, got '1.2' (str)"),
    ({"name": "a b"}, "name: must be a plain name (letters, digits, '.', '_', '-'), got 'a b' (str)"),
    ({"description": 3}, "description: must be a string, got 3 (int)"),
    ({"shapes": "16"}, "shapes: must be a list, got '16' (str)"),
])
def test_each_kind_of_error_in_our_words(change: dict, expected: str, tmp_path: Path) -> None:
    assert problems({**GOOD, **change}, tmp_path) == [expected]


def test_every_problem_is_listed(tmp_path: Path) -> None:
    found = problems({**GOOD, "seeds": 0, "repetitions": 0, "k": [0, 3], "bogus": 1}, tmp_path)
    assert found[0].startswith("(top level): unknown key 'bogus'")  # an unknown key first: it often explains the rest
    assert set(found[1:]) == {"seeds: must be at least 1, got 0 (int)", "repetitions: must be at least 1, got 0 (int)",
                              "k[0]: must be at least 1, got 0 (int)"}


def test_two_missing_files_are_two_problems(tmp_path: Path) -> None:
    found = problems({**GOOD, "inputs": [{"generator": "file", "S": "no_S.pbm", "T": "no_T.pbm"}]}, tmp_path)
    assert found == [f"inputs[0].S: no such file: {tmp_path / 'no_S.pbm'}",
                     f"inputs[0].T: no such file: {tmp_path / 'no_T.pbm'}"]


def test_many_problems_show_the_first_ten_and_a_count(tmp_path: Path) -> None:
    found = problems({**GOOD, "k": list(range(-14, 0))}, tmp_path)
    assert len(found) == MAX_SHOWN + 1
    assert found[:MAX_SHOWN] == [f"k[{i}]: must be at least 1, got {i - 14} (int)" for i in range(MAX_SHOWN)]
    assert found[-1] == "... and 4 more problems (fix these first)"


def test_the_cli_prints_every_problem_as_an_error_line(tmp_path: Path) -> None:
    path = tmp_path / "sweep.yaml"
    path.write_text("shapes: [{N: 16}]\nk: [2]\ninputs: [{generator: uniform}]\nseeds: 0\n"
                    "expect: [{metric: skew, max: 2, over: best}]\n")
    result = CliRunner().invoke(app, ["sweep", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"phase-router: error: {path}: seeds: must be at least 1, got 0 (int)",
        f"phase-router: error: {path}: expect[0].over: 'best' is not one of cell, median, max, min, mean",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("config, expected", [
    ("shapes: [{N: 16}]\nk: [0]\ninputs: [{generator: uniform}]\n", "<stdin>: k[0]: must be at least 1, got 0 (int)"),
    ("k: [1, 2\n", "<stdin>: not valid YAML at line"),
])
def test_a_config_from_stdin_is_named_stdin(config: str, expected: str, tmp_path: Path) -> None:
    done = warm_process.run([sys.executable, "-m", "phase_router", "sweep", "-", "--out", tmp_path / "out"],
                            input=config, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"phase-router: error: {expected}"), done.stderr
    assert ".phase-router-stdin" not in done.stderr
    assert os.listdir(tmp_path) == []  # the temporary copy is gone, no output started


def test_a_config_from_stdin_is_named_stdin_in_its_results(tmp_path: Path) -> None:
    config = "shapes: [{N: 8}]\nk: [2]\ninputs: [{generator: uniform}]\nmetrics: [fill]\n"
    done = warm_process.run([sys.executable, "-m", "phase_router", "sweep", "-"], input=config, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sweeps" / "stdin" / "results.csv").is_file()


def test_a_huge_value_is_shown_without_walking_it() -> None:
    """A YAML alias bomb makes values of billions of items out of a few shared lists; the problem
    line shows a bounded prefix of the value instead of building its whole repr first (which
    would not end)."""
    from phase_router.sweep.config_errors import show

    value: list = list(range(9))
    for _ in range(12):  # 9^13 leaves through shared references
        value = [value] * 9
    text = show(value)
    assert text.endswith("(list)") and len(text) <= 80, text

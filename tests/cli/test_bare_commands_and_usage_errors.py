"""No arguments is a question, not a mistake: `phase-router` and every subcommand that needs
arguments print their help on stdout, exit 0, without the word "error". A real usage error is one
line, `phase-router: error: ...`, pointing to the subcommand's own help, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from phase_router.cli import app, run

GROUP = typer.main.get_command(app)
NEEDS_ARGUMENTS = sorted(name for name, command in GROUP.commands.items() if command.no_args_is_help)
# A usage error per subcommand: an option it does not have, or a value of the wrong type.
USAGE_ERRORS = {name: [name, "--no-such-option"] for name in GROUP.commands}
USAGE_ERRORS.update({"gen": ["gen", "uniform", "--shape", "8", "--out", "a.pbm"],  # --out takes two files
                     "route": ["route", "S.pbm", "T.pbm", "-k", "two"],
                     "capacity": ["capacity", "S.pbm", "T.pbm"]})  # -k missing


def test_every_command_but_evaluate_needs_arguments() -> None:
    assert set(GROUP.commands) - set(NEEDS_ARGUMENTS) == {"evaluate"}  # evaluate runs on its defaults


@pytest.mark.parametrize("args", [[], *[[name] for name in NEEDS_ARGUMENTS]], ids=lambda a: " ".join(a) or "bare")
def test_no_arguments_print_the_help(args: list[str], capsys) -> None:
    assert run(args) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Usage: phase-router") and "Examples:" in out
    assert "error" not in (out + err).lower().replace("errors", "")  # the help may say "errors", never "error:"
    assert err == ""


@pytest.mark.parametrize("name", sorted(USAGE_ERRORS))
def test_a_usage_error_is_one_line_naming_the_subcommands_help(name: str, capsys) -> None:
    assert run(USAGE_ERRORS[name]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 1, err
    assert lines[0].startswith("phase-router: error: ") and "Usage:" not in lines[0]
    assert lines[0].endswith(f"try 'phase-router {name} -h'"), lines[0]


def test_an_unknown_command_points_to_the_main_help(capsys) -> None:
    assert run(["rout"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("phase-router: error: ") and err.endswith("try 'phase-router -h'")


def test_the_installed_command_behaves_the_same(tmp_path) -> None:
    bare = subprocess.run([sys.executable, "-m", "phase_router"], capture_output=True, text=True, cwd=tmp_path)
    assert bare.returncode == 0 and bare.stdout.startswith("Usage: phase-router") and bare.stderr == ""
    wrong = subprocess.run([sys.executable, "-m", "phase_router", *USAGE_ERRORS["gen"]], capture_output=True,
                           text=True, cwd=tmp_path)
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.strip().splitlines() == [wrong.stderr.strip()]
    assert wrong.stderr.strip().endswith("try 'phase-router gen -h'")

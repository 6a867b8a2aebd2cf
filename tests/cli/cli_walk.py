"""Walking the CLI's Click commands, for tests that must cover every option of every command
(a new option cannot escape them), and running a command in-process with its usage errors
captured as the installed command reports them."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Optional

import typer.main
from typer.testing import CliRunner

from phase_router.cli import app

# What a required parameter takes when the test is about another option: every check under test
# runs before any input is read, so a placeholder suffices.
PLACEHOLDER = "1"


@dataclass(frozen=True)
class CommandOption:
    command: str
    name: str  # the Python parameter name
    spellings: tuple[str, ...]  # as declared, e.g. ("-k", "--k")
    kind: str  # "integer" or "float"
    maximum: Optional[int]  # the largest value Click itself accepts, if it declares one


def commands() -> dict:
    return dict(typer.main.get_command(app).commands)


def _kind(param) -> str:
    """"integer", "float" or "" for a parameter of Click (Typer up to 0.2x builds Click types:
    INT, IntRange ...) or of a Typer that describes its own (the annotation)."""
    described = getattr(param, "type_descriptor", None)
    if described is not None:
        return {int: "integer", float: "float"}.get(described.annotation, "")
    name = getattr(getattr(param, "type", None), "name", "")
    return "integer" if name.startswith("integer") else "float" if name.startswith("float") else ""


def options(kind: str) -> list[CommandOption]:
    """Every option of every command whose values are of `kind` ("integer" or "float")."""
    found = []
    for name, command in sorted(commands().items()):
        for param in command.params:
            if param.param_type_name == "option" and _kind(param) == kind and not getattr(param, "is_flag", False):
                maximum = getattr(param, "max", None)
                if maximum is None:
                    maximum = getattr(getattr(param, "type", None), "max", None)
                found.append(CommandOption(name, param.name, tuple(param.opts), kind, maximum))
    return found


def required_args(command_name: str, without: str) -> list[str]:
    """Placeholders for every required parameter of the command except `without`."""
    args: list[str] = []
    for param in commands()[command_name].params:
        if not param.required or param.name == without:
            continue
        count = max(1, param.nargs)
        if param.param_type_name == "option":
            args.append(param.opts[0])
        args.extend([PLACEHOLDER] * count)
    return args


@dataclass(frozen=True)
class Outcome:
    code: int
    message: str  # what the user reads on stderr (a usage error as main() prints it: one line)
    traceback: bool


def invoke(*args: str) -> Outcome:
    """Run `phase-router ARGS` in-process. A usage error Click raises is formatted as main()
    does (one line); anything else is the command's own stderr."""
    saved = sys.argv
    sys.argv = ["phase-router", *args]  # as the installed command sees its command line
    try:
        result = CliRunner().invoke(app, list(args), standalone_mode=False)
    finally:
        sys.argv = saved
    exc = result.exception
    if exc is not None and hasattr(exc, "format_message") and type(exc).__name__ in (
            "UsageError", "BadParameter", "BadOptionUsage", "MissingParameter", "NoSuchOption", "BadArgumentUsage"):
        return Outcome(2, f"phase-router: error: {exc.format_message()}\n", False)
    if exc is not None and not isinstance(exc, SystemExit):
        return Outcome(-1, f"{type(exc).__name__}: {exc}", True)
    code = result.exit_code if result.exit_code else (result.return_value or 0)
    return Outcome(int(code), result.stderr, "Traceback" in result.stderr)

"""Every command's help, walked from the Click command tree: an example that names only options
the command has, one metavar scheme, every closed set of choices listed (from the registries),
no line over 100 columns, no "a evaluation"."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from phase_router.analysis.like_for_like import FEASIBLE
from phase_router.analysis.routers import ROUTERS
from phase_router.cli import app
from phase_router.inputs.generators import GENERATORS
from phase_router.io.route_sinks import ROUTE_OUTPUTS
from phase_router.routing.candidates import SOURCES
from phase_router.routing.router import STRATEGIES
from phase_router.routing.selection import POLICIES

GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)
# Upper-case words (S T, FILE, DIR, INT, FLOAT, SIZE, S_DEGREES T_DEGREES), or [a|b|c].
SCHEME = re.compile(r"^(?:[A-Z][A-Z0-9_]*(?: [A-Z][A-Z0-9_]*)*|\[[a-z0-9][a-z0-9_.-]*(?:\|[a-z0-9][a-z0-9_.-]*)+\])$")


def _closed_choices() -> dict[tuple[str, str], list[str]]:
    """(command, option or argument name) -> its values, each taken from its registry."""
    choices = {("route", "--select"): list(POLICIES), ("route", "--candidates"): list(SOURCES),
               ("route", "--strategy"): list(STRATEGIES), ("capacity", "--router"): list(ROUTERS),
               ("suggest-k", "--router"): list(ROUTERS), ("compare-hash", "--feasible"): list(FEASIBLE),
               ("compare-hash", "--scenario"): list(GENERATORS), ("gen", "kind"): list(GENERATORS)}
    for output in ROUTE_OUTPUTS.values():
        if output.stream_format_option:
            choices[("route", output.stream_format_option)] = [ext.lstrip(".") for ext in output.stream_formats()]
    for policy in POLICIES.values():
        for option in policy.options:
            if option.choices:
                choices[("route", option.flag)] = list(option.choices)
    return choices


CLOSED = _closed_choices()


def help_text(*args: str, columns: int = 100) -> str:
    result = CliRunner().invoke(app, [*args, "-h"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def _params(name: str):
    return [p for p in GROUP.commands[name].params if "--help" not in getattr(p, "opts", [])]


def _entry(text: str, param) -> str:
    """The help's row for `param` (its names to the next row), without whitespace."""
    lines = text.splitlines()
    first = param.opts[0] if param.param_type_name == "option" else param.metavar
    sections = next(i for i, line in enumerate(lines) if line in ("Arguments:", "Options:"))
    start = next(i for i, line in enumerate(lines) if i > sections and re.match(r"^  \S", line) and (
        line.strip().startswith((first + " ", first + ",")) or line.strip() == first))
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r"^  \S", lines[i]) or not lines[i].startswith(" ")), len(lines))
    return re.sub(r"\s+", "", " ".join(lines[start:end]))


@pytest.mark.parametrize("name", [None, *COMMANDS])
@pytest.mark.parametrize("columns", [60, 80, 200])
def test_help_fits_100_columns_and_ends_with_examples(name, columns: int) -> None:
    text = help_text(*([name] if name else []), columns=columns)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "Examples:" in text
    examples = [line.strip() for line in text.split("Examples:", 1)[1].splitlines() if line.strip()]
    assert examples and all(line.startswith(("phase-router ", "cat ")) for line in examples), examples


@pytest.mark.parametrize("name", COMMANDS)
def test_examples_name_only_the_commands_options(name: str) -> None:
    known = {opt for p in GROUP.commands[name].params for opt in (*p.opts, *getattr(p, "secondary_opts", ()))}
    examples = help_text(name).split("Examples:", 1)[1]
    for line in examples.splitlines():
        words = line.split()
        if f"phase-router {name}" not in line:
            continue
        used = [w for w in words[words.index(name) + 1:] if w.startswith("-") and w != "-"]
        assert set(used) <= known, (line, set(used) - known)


@pytest.mark.parametrize("name", COMMANDS)
def test_metavars_follow_one_scheme(name: str) -> None:
    text = help_text(name)
    for param in _params(name):
        if getattr(param, "is_flag", False):
            continue
        assert param.metavar is not None and SCHEME.match(param.metavar), (name, param.name, param.metavar)
        names = param.opts[0] if param.param_type_name == "option" else ""
        assert re.sub(r"\s+", "", f"{names}{param.metavar}") in _entry(text, param), (name, param.name)
    assert not re.search(r"<[a-z]+[^>]*>|\{[A-Z]+\}|INTEGER|TEXT\b", text), text  # Typer's and Click's own spellings


@pytest.mark.parametrize("key", sorted(CLOSED), ids=lambda key: " ".join(key))
def test_closed_choices_are_listed(key) -> None:
    name, option = key
    param = next(p for p in _params(name) if option in getattr(p, "opts", ()) or p.name == option)
    entry = _entry(help_text(name), param)
    missing = [value for value in CLOSED[key] if value not in entry]
    assert not missing, (key, missing, entry)


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_no_article_typos(name) -> None:
    text = " ".join(help_text(*([name] if name else [])).split())
    assert not re.search(r"\ba [aei]\w", text, re.IGNORECASE), re.findall(r"\ba [aei]\w+", text)
    assert not re.search(r"\ban [bcdfgjklmnpqrstvwxz]\w", text, re.IGNORECASE)

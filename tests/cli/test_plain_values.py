"""The commands' values converted without Pydantic (phase_router/cli/plain_values.py) are exactly
Typer's: for every parameter of every command, and values of every kind a user may type (valid,
unusual, out of bounds, wrong), the converted value, or the error and its message, is the one
Typer's own converter gives. Typer releases without a coercion layer of their own convert every
value themselves: nothing to compare there."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main

from phase_router.cli import app
from phase_router.cli.plain_values import _TYPER, use_plain_values

pytestmark = pytest.mark.skipif(_TYPER is None, reason="this Typer converts values through Click's types")

TEXTS = ["0", "7", "007", "-1", "-0", "00", " 7", "7 ", "+7", "1_000", "7.0", "0.5", "-2.5", ".5", "5.", "1e3",
         "inf", "nan", "abc", "", "٣", str(2**64 - 1), str(2**64), "9" * 30, "9" * 40, "1." + "5" * 30,
         "S.pbm", "./x", "a//b/", "-", "~/x", "/no/such/dir/x", "a\udcffb", "é"]
NUMBERS = [0, 5, -3, True, 2.5, 2**64]


def _parameters() -> list[Any]:
    found = []
    group = typer.main.get_command(app)
    for command in [group, *group.commands.values()]:
        ctx = command.make_context(command.name, [], resilient_parsing=True)
        found += [pytest.param(command, param, id=f"{command.name} {param.name}") for param in command.get_params(ctx)
                  if getattr(param, "type_descriptor", None) is not None]
    return found


def _values(param: Any, tmp_path: Path) -> list[Any]:
    annotation = param.type_descriptor.annotation
    existing = [str(tmp_path / "file"), str(tmp_path)]
    values: list[Any] = TEXTS + NUMBERS + existing
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values += list(annotation) + [member.value for member in annotation] + [member.value.upper() for member in annotation]
    if getattr(annotation, "__origin__", None) in (tuple, list):
        values += [("a", "b"), ["a", "b"], ("a",), ("a", "b", "c"), (str(tmp_path / "file"), "x"), ("7", "8"), "a"]
    return values


def _outcome(converter: Any, value: Any, param: Any, ctx: Any) -> tuple:
    try:
        converted = converter.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # noqa: BLE001  the error is part of what is compared
        return ("error", type(exc), getattr(exc, "message", str(exc)))
    return ("value", type(converted), repr(converted))  # repr: nan is itself, the parts' types show


@pytest.mark.parametrize("command, param", _parameters())
def test_values_convert_as_typer_converts_them(command: Any, param: Any, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    ctx = command.make_context(command.name, [], resilient_parsing=True)
    typers_own = _TYPER["build_runtime_param"](param.type_descriptor)
    param._runtime_param = None  # as Typer made it
    use_plain_values([param])
    plain = param._runtime_param
    if param.type_descriptor.file_annotation is not None:
        assert plain is None  # Typer's file converter builds no validator: kept
        return
    assert type(plain).__name__ == "PlainValue"
    for value in _values(param, tmp_path):
        assert _outcome(plain, value, param, ctx) == _outcome(typers_own, value, param, ctx), (param.name, value)


def test_a_plain_command_line_builds_no_typer_converter() -> None:
    """Every parameter of a plain route command line is converted without Typer's converter (so
    without Pydantic): the ones given and the ones left at their defaults."""
    route = typer.main.get_command(app).commands["route"]
    ctx = route.make_context("route", ["S.pbm", "T.pbm", "-k", "64", "--seed", "7", "--select", "balanced",
                                       "--out", "routes.npy", "--threads", "2"])
    assert ctx.params["k"] == 64 and ctx.params["s_file"] == Path("S.pbm") and ctx.params["select"].value == "balanced"
    converters = [param._runtime_param for param in route.get_params(ctx) if getattr(param, "type_descriptor", None)]
    assert converters and all(type(converter).__name__ == "PlainValue" for converter in converters)
    assert all(converter.typer_converter is None for converter in converters)

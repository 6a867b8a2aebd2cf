"""How every command's help is laid out: one metavar scheme, choices listed, examples last.

Typer and Click draw help differently from release to release (`<int range>`, `INTEGER RANGE`,
`{S}`, `[S]` ...), so the commands draw their own from the parameters' stable attributes (opts,
metavar, help, default, required) with Click's HelpFormatter, which wraps to the terminal and
never beyond 80 columns. The scheme: upper-case words for values (`S T`, `FILE`, `DIR`, `INT`,
`FLOAT`, `SIZE`), `[a|b|c]` for a short closed set of choices, and for a long set an upper-case
word with the choices spelled out in the option's help ("one of: ...").
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from enum import Enum
from typing import Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from .plain_values import use_plain_values

EXAMPLES_HEADING = "Examples"


def choice_metavar(names: Iterable[str]) -> str:
    """`[a|b|c]`: the metavar of an option whose values are exactly `names` (a registry's keys)."""
    return "[" + "|".join(names) + "]"


def one_of(names: Iterable[str]) -> str:
    """`one of: a, b, c`, for a help text whose choices are too many for a metavar."""
    return "one of: " + ", ".join(names)


def _derived_metavar(param: Any) -> Optional[str]:
    """A metavar for parameters the commands do not declare themselves (Typer's own options)."""
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return choice_metavar(str(c) for c in choices)
    return "VALUE"


def metavar(param: Any) -> Optional[str]:
    """The value placeholder shown for `param`, or None for a flag."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    return param.metavar if param.metavar is not None else _derived_metavar(param)


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _shown_default(param: Any) -> Optional[str]:
    if getattr(param, "is_flag", False) or param.required or getattr(param, "show_default", True) is False:
        return None
    default = param.default
    if callable(default) or default is None or default == () or default == []:
        return None
    if isinstance(default, Enum):
        default = default.value
    return str(default)


def _range(param: Any) -> Optional[str]:
    """`at least 1`, `0 to 255`: the bounds Typer enforces (min=/max=), in words."""
    low = getattr(param, "min", getattr(getattr(param, "type", None), "min", None))
    high = getattr(param, "max", getattr(getattr(param, "type", None), "max", None))
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return None


def option_row(param: Any) -> tuple[str, str]:
    """(names and metavar, help with default and bounds) for one parameter."""
    if _is_argument(param):
        names = metavar(param) or param.name.upper()
    else:
        names = ", ".join(sorted(param.opts, key=len))  # -h, --help: the short spelling first
        if param.secondary_opts:
            names += " / " + ", ".join(param.secondary_opts)
        shown = metavar(param)
        if shown:
            names += f" {shown}"
    extras = [part for part in (_range(param),) if part]
    default = _shown_default(param)
    if default is not None:
        extras.append(f"default: {default}")
    if param.required and not _is_argument(param):
        extras.append("required")
    text = (param.help or "").strip()
    if extras:
        text = f"{text}  [{'; '.join(extras)}]" if text else f"[{'; '.join(extras)}]"
    return names, text


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = ["[OPTIONS]"]
    for param in command.get_params(ctx):
        if _is_argument(param):
            shown = metavar(param) or param.name.upper()
            pieces.append(shown if param.required else f"[{shown}]")
    return pieces


def _split_examples(command: Any) -> list[str]:
    """The example lines: the epilog, one command per line."""
    return [line.rstrip() for line in inspect.cleandoc(command.epilog or "").splitlines() if line.strip()]


def write_help(command: Any, ctx: Any, formatter: Any, commands: Optional[dict] = None) -> None:
    formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(command, ctx) if commands is None
                                                     else ["[OPTIONS]", "COMMAND", "[ARGS]..."]))
    if command.help:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(inspect.cleandoc(command.help).partition("\f")[0])
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [option_row(p) for p in params if _is_argument(p)]
    options = [option_row(p) for p in params if not _is_argument(p)]
    for heading, rows in (("Arguments", arguments), ("Options", options)):
        if rows:
            with formatter.section(heading):
                formatter.write_dl(rows)
    if commands:
        with formatter.section("Commands"):
            formatter.write_dl([(name, sub.get_short_help_str(limit=formatter.width - 20))
                                for name, sub in commands.items() if not getattr(sub, "hidden", False)])
    examples = _split_examples(command)
    if examples:
        with formatter.section(EXAMPLES_HEADING):
            for line in examples:
                formatter.write(f"{'':>{formatter.current_indent}}{line}\n")


def _no_args_help(command: Any, ctx: Any, args: list) -> None:
    """No arguments at all: the help on stdout and exit 0, on every Click release (Click 8.2
    turned this into a usage error that the error boundary would print as one)."""
    if not args and command.no_args_is_help and not ctx.resilient_parsing:
        typer.echo(ctx.get_help(), color=ctx.color)  # the echo of the Click that Typer parses with
        ctx.exit(0)


class HelpCommand(TyperCommand):
    """A command drawing its help with write_help (and converting its plain values without
    Pydantic: plain_values)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        write_help(self, ctx, formatter)

    def parse_args(self, ctx: Any, args: list) -> list:
        _no_args_help(self, ctx, args)
        use_plain_values(self.get_params(ctx))  # here: Typer adds the completion options after __init__
        return super().parse_args(ctx, args)


class HelpGroup(TyperGroup):
    """The `phase-router` group drawing its help with write_help (and converting its plain
    values without Pydantic: plain_values)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        write_help(self, ctx, formatter, commands=self.commands)

    def parse_args(self, ctx: Any, args: list) -> list:
        _no_args_help(self, ctx, args)
        use_plain_values(self.get_params(ctx))  # here: Typer adds the completion options after __init__
        return super().parse_args(ctx, args)

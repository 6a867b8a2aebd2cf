"""`-` on the command line: standard input for an input file, standard output for an output."""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence

from ..errors import InvalidInputError
from ..io.files import STREAM, StreamPath, is_stream, spool_stdin


def stdin_inputs(*paths: Any) -> list[Any]:
    """The paths with "-" replaced by a spooled copy of stdin (which can be read only once)."""
    if sum(is_stream(p) for p in paths) > 1:
        raise InvalidInputError("only one input can be '-' (standard input is read once)")
    return [spool_stdin() if is_stream(p) else p for p in paths]


def stdout_output(path: Any, suffix: str = "") -> Any:
    """An output path, "-" becoming a StreamPath that carries the format `suffix`."""
    return StreamPath(suffix) if is_stream(path) else path


def check_one_stdout(named: Sequence[tuple[str, Optional[Any]]]) -> bool:
    """Refuse two outputs on stdout; True when one output goes there (the human-readable
    summary then moves to stderr)."""
    on_stdout = [name for name, path in named if path is not None and (path is True or is_stream(path))]
    if len(on_stdout) > 1:
        raise InvalidInputError(f"only one output can go to standard output, got {' and '.join(on_stdout)}")
    return bool(on_stdout)


def shown(path: Any) -> str:
    return "<stdout>" if is_stream(path) else os.fspath(path)


__all__ = ["STREAM", "check_one_stdout", "shown", "stdin_inputs", "stdout_output"]

"""`-` on the command line: standard input for an input file, standard output for an output."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any, Optional, Sequence

from ..errors import InvalidInputError
from ..io.files import STREAM, StreamPath, is_stream, is_streamed_file, spool_stdin, spool_stream


def stdin_inputs(*paths: Any) -> list[Any]:
    """The paths with "-" replaced by a spooled copy of stdin, and every other input that can be
    read only once (a pipe, FIFO, /dev/fd/N) by a spooled copy of it: each is read exactly once."""
    if sum(is_stream(p) for p in paths) > 1:
        raise InvalidInputError("only one input can be '-' (standard input is read once)")
    return [spool_stdin() if is_stream(p) else spool_stream(p) if is_streamed_file(p) else p for p in paths]


@contextlib.contextmanager
def stdin_file_in(directory: str) -> Iterator[str]:
    """Standard input as a hidden temporary file in `directory`, for readers that resolve paths
    relative to the file they read (a sweep config read from stdin names files relative to the
    current directory). Removed when the block ends."""
    fd, path = tempfile.mkstemp(prefix=".phase-router-stdin-", suffix=".yaml", dir=directory)
    try:
        with os.fdopen(fd, "wb") as copy, open(spool_stdin(), "rb") as source:
            shutil.copyfileobj(source, copy)
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


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


__all__ = ["STREAM", "check_one_stdout", "shown", "stdin_file_in", "stdin_inputs", "stdout_output"]

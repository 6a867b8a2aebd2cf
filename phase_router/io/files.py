"""Opening input files with one-line errors that name the file."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
from typing import BinaryIO, Optional

from ..errors import InputFileError

STREAM = "-"  # as a file name: standard input (inputs) or standard output (outputs)
STDIN_NAME = "<stdin>"
_stdin_copy: Optional[str] = None


class StreamPath(str):
    """"-" as an output path that also carries the format to write (its ``suffix``, e.g. ".npy"),
    since stdout has no extension to choose it by. os.fspath() of it is "-"."""

    suffix: str

    def __new__(cls, suffix: str = "") -> "StreamPath":
        obj = super().__new__(cls, STREAM)
        obj.suffix = suffix
        return obj


def is_stream(path: object) -> bool:
    return path is not None and os.fspath(path) == STREAM  # type: ignore[call-overload]


def spool_stdin() -> str:
    """Standard input copied once into a temporary file (removed at exit), whose name then
    stands for "-": readers detect the format, take the header, then stream, so they need a
    file they can reopen. Error messages show it as <stdin> (stdin_display)."""
    global _stdin_copy
    if _stdin_copy is None:
        fd, path = tempfile.mkstemp(prefix="phase-router-stdin-")
        with os.fdopen(fd, "wb") as copy:
            shutil.copyfileobj(sys.stdin.buffer, copy, 1 << 20)
        atexit.register(_remove_stdin_copy)
        _stdin_copy = path
    return _stdin_copy


def _remove_stdin_copy() -> None:
    with contextlib.suppress(OSError):
        if _stdin_copy is not None:
            os.unlink(_stdin_copy)


def stdin_display(message: str) -> str:
    """A message with the stdin spool's temporary name shown as <stdin>."""
    return message.replace(_stdin_copy, STDIN_NAME) if _stdin_copy else message


def open_input(path: str | os.PathLike[str]) -> BinaryIO:
    """Open for binary reading; OS failures become InputFileError naming the file."""
    if os.path.isdir(path):
        raise InputFileError(path, "is a directory, not a file")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except PermissionError:
        raise InputFileError(path, "permission denied") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot open: {exc.strerror or exc}") from None


def read_magic(path: str | os.PathLike[str], count: int = 6) -> bytes:
    with open_input(path) as handle:
        return handle.read(count)

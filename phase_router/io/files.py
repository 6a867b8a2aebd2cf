"""Opening input files with one-line errors that name the file."""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import shutil
import stat
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
    for copy in _stream_copies.values():
        with contextlib.suppress(OSError):
            os.unlink(copy)


_stream_copies: dict[str, str] = {}  # a streamed input's name -> its spooled copy


def is_streamed_file(path: object) -> bool:
    """An existing input that can be read only once: a pipe, FIFO, /dev/fd/N (process
    substitution), a character device. Readers open a file more than once (format, header,
    data), so such an input is spooled first."""
    if path is None or is_stream(path):
        return False
    try:
        mode = os.stat(path).st_mode  # type: ignore[arg-type]
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def spool_stream(path: str | os.PathLike[str]) -> str:
    """A streamed input copied once into a temporary file (removed at exit), read without ever
    blocking on a missing writer: a FIFO nobody writes to reads as empty, and Ctrl-C is seen
    within a second while a slow writer is awaited."""
    name = os.fspath(path)
    if name not in _stream_copies:
        try:
            source = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
        except OSError as exc:
            raise InputFileError(name, f"cannot open: {exc.strerror or exc}") from None
        fd, copy = tempfile.mkstemp(prefix="phase-router-stream-")
        if not _stream_copies and _stdin_copy is None:
            atexit.register(_remove_stdin_copy)
        _stream_copies[name] = copy
        try:
            with os.fdopen(fd, "wb") as out:
                while True:
                    try:
                        chunk = os.read(source, 1 << 20)
                    except BlockingIOError:  # a writer is there but has not written yet
                        select.select([source], [], [], 1.0)
                        continue
                    if not chunk:
                        break
                    out.write(chunk)
        finally:
            os.close(source)
    return _stream_copies[name]


def stdin_display(message: str) -> str:
    """A message with spooled copies' temporary names shown as what they stand for."""
    if _stdin_copy:
        message = message.replace(_stdin_copy, STDIN_NAME)
    for name, copy in _stream_copies.items():
        message = message.replace(copy, name)
    return message


def check_path(path: object) -> None:
    """A file name (str or path-like), never an int: open(3) would read file descriptor 3."""
    if isinstance(path, bool) or not isinstance(path, (str, bytes, os.PathLike)):
        from ..errors import InvalidInputError

        shown = repr(path) if len(repr(path)) <= 60 else repr(path)[:57] + "..."
        raise InvalidInputError(f"a file path (str or os.PathLike) is needed, got {type(path).__name__} {shown}")
    if not os.fspath(path):
        raise InputFileError("''", "an empty file name")
    name = os.fspath(path)
    if ("\0" in name) if isinstance(name, str) else (b"\0" in name):
        raise InputFileError(repr(os.fspath(path)), "a file name cannot contain a NUL character")


def open_input(path: str | os.PathLike[str]) -> BinaryIO:
    """Open for binary reading; OS failures become InputFileError naming the file."""
    check_path(path)
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
    check_path(path)
    with open_input(path) as handle:
        return handle.read(count)

"""Opening input files with one-line errors that name the file."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import select
import stat
import sys
import time
from typing import BinaryIO, Callable, Optional, TypeVar

from ..errors import FileFormatError, InputFileError

T = TypeVar("T")
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


def _mkstemp(prefix: str) -> tuple[int, str]:
    import tempfile  # here, not at the top: only a copied stream needs it (and the random it loads)

    return tempfile.mkstemp(prefix=prefix)


def _temporary_directory() -> str:
    import tempfile

    return tempfile.gettempdir()


def spool_stdin() -> str:
    """Standard input copied once into a temporary file (removed at exit), whose name then
    stands for "-": readers detect the format, take the header, then stream, so they need a
    file they can reopen. Error messages show it as <stdin> (stdin_display)."""
    global _stdin_copy
    if _stdin_copy is None:
        fd, path = _mkstemp(prefix="phase-router-stdin-")
        atexit.register(_remove_stdin_copy)
        _stdin_copy = path
        try:
            stdin_fd: Optional[int] = sys.stdin.fileno()
        except (OSError, ValueError):  # io.UnsupportedOperation: a stdin without a descriptor
            stdin_fd = None
        if stdin_fd is not None:
            _refuse_device(stdin_fd, STDIN_NAME)
        room = _spool_room()
        with os.fdopen(fd, "wb") as copy:
            while chunk := sys.stdin.buffer.read(1 << 20):
                _spool_write(copy, chunk, room, STDIN_NAME)
    return _stdin_copy


def _remove_stdin_copy() -> None:
    with contextlib.suppress(OSError):
        if _stdin_copy is not None:
            os.unlink(_stdin_copy)
    for copy in set(_stream_copies.values()) | set(_stream_keys.values()):
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
    within a second while a slow writer is awaited. One copy per stream for the whole process
    (the CLI reads an input's header and its data separately); a new pipe behind a reused
    /dev/fd/N is a new stream (told apart by its inode)."""
    name = os.fspath(path)
    key = _stream_key(name)
    if key not in _stream_keys:
        fd, copy = _mkstemp(prefix="phase-router-stream-")
        if not _stream_copies and _stdin_copy is None:
            atexit.register(_remove_stdin_copy)
        _stream_copies[name] = copy
        _stream_keys[key] = copy
        _copy_stream(name, fd)
    _stream_copies[name] = _stream_keys[key]
    return _stream_keys[key]


_stream_keys: dict[tuple[str, int, int], str] = {}  # (name, device, inode) -> spooled copy


def _stream_key(name: str) -> tuple[str, int, int]:
    try:
        status = os.stat(name)
    except OSError:
        return name, -1, -1
    return name, status.st_dev, status.st_ino


FIFO_WRITER_WAIT_SECONDS = 5.0


def _copy_stream(name: str, fd: int) -> None:
    """Copy the stream `name` into the open file `fd` (closed here), never blocking for ever on
    a missing writer. A named FIFO whose writer has not opened it yet (`mkfifo f; cat S > f &
    phase-router route f ...`: the shell may start the writer after us) is given
    FIFO_WRITER_WAIT_SECONDS to appear; one nobody opens reads as empty."""
    try:
        source = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        os.close(fd)
        raise InputFileError(name, f"cannot open: {exc.strerror or exc}") from None
    try:
        _refuse_device(source, name)
        room = _spool_room()
        wait_for_writer = _is_named_fifo(name)
        copied = False
        with os.fdopen(fd, "wb") as out:
            while True:
                try:
                    chunk = os.read(source, 1 << 20)
                except BlockingIOError:  # a writer is there but has not written yet
                    select.select([source], [], [], 1.0)
                    continue
                if chunk:
                    _spool_write(out, chunk, room, name)
                    copied = True
                    continue
                if copied or not wait_for_writer:
                    break
                wait_for_writer = False  # once: a writer that comes and leaves without writing is empty
                if not _writer_arrives(source):
                    break
    finally:
        os.close(source)


SPOOL_RESERVE_FRACTION = 0.05  # of the temporary directory's file system, left free by a copy


def _spool_room() -> int:
    """Bytes a stream's temporary copy may take: the temporary directory's free space less a
    reserve, so an endless stream (`yes |`) is refused instead of filling the disk."""
    try:
        status = os.statvfs(_temporary_directory())
    except OSError:
        return 1 << 62
    free = status.f_bavail * status.f_frsize
    return max(0, free - int(status.f_blocks * status.f_frsize * SPOOL_RESERVE_FRACTION))


def _spool_write(copy: BinaryIO, chunk: bytes, room: int, name: str) -> None:
    """Append `chunk` to a stream's temporary copy, refusing the stream once the copy passes `room`."""
    try:
        copy.write(chunk)
    except OSError as exc:  # the temporary directory is full or read-only
        exc.filename = f"{name} (its copy in {_temporary_directory()})"
        raise
    if copy.tell() > room:
        raise InputFileError(name, f"stream is larger than the {room / 2**30:.1f} GiB the temporary directory "
                                   f"({_temporary_directory()}) can hold for its copy; save it to a file, or set TMPDIR")


def _refuse_device(fd: int, name: str) -> None:
    """A device other than a terminal is not an input: /dev/zero or /dev/urandom would stream
    for ever (and a disk device is not a matrix)."""
    mode = os.fstat(fd).st_mode
    if (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) and not os.isatty(fd) and not _is_null(mode, fd):
        raise InputFileError(name, "is a device, not a file or a pipe")


def _is_null(mode: int, fd: int) -> bool:
    """/dev/null reads as empty (an empty input gets the usual 'file is empty')."""
    null = os.stat(os.devnull)
    status = os.fstat(fd)
    return (status.st_rdev, stat.S_IFMT(mode)) == (null.st_rdev, stat.S_IFMT(null.st_mode))


def _is_named_fifo(name: str) -> bool:
    """A FIFO with a name in a file system (not an anonymous pipe, whose /dev/fd/N resolves to
    'pipe:[inode]'): the only stream whose writer may open it after we do."""
    try:
        return stat.S_ISFIFO(os.stat(name).st_mode) and os.path.exists(os.path.realpath(name))
    except OSError:
        return False


def _writer_arrives(source: int) -> bool:
    """Wait (Ctrl-C still lands) for a writer to open the FIFO and write or close: True when one
    came (there may be data to read), False when none came within FIFO_WRITER_WAIT_SECONDS."""
    poller = select.poll()
    poller.register(source, select.POLLIN | select.POLLHUP)
    deadline = time.monotonic() + FIFO_WRITER_WAIT_SECONDS
    while time.monotonic() < deadline:
        events = poller.poll(100)  # Linux reports POLLHUP only once a writer came and went
        if events:
            return True
    return False


def reads_streams(reader: Callable[..., T]) -> Callable[..., T]:
    """For an API reader taking a path first: an input that can be read only once (a pipe,
    /dev/fd/N, /dev/stdin on a pipe, a FIFO) is copied once into a temporary file for this call
    and the reader reads the copy, so it can look at the format, the header and the data in turn
    (reading the pipe itself, the magic bytes were gone by the time the header was parsed: 'not a
    PBM file'). Errors name the input, not the copy."""

    @functools.wraps(reader)
    def read(path, *args, **kwargs):
        check_path(path)  # before os.stat, which would take an int as a file descriptor
        if not is_streamed_file(path):
            return reader(path, *args, **kwargs)
        fd, copy = _mkstemp(prefix="phase-router-stream-")
        try:
            _copy_stream(os.fspath(path), fd)
            return reader(copy, *args, **kwargs)
        except InputFileError as exc:
            if exc.path != copy:
                raise
            raise type(exc)(path, exc.problem) from None
        finally:
            with contextlib.suppress(OSError):
                os.unlink(copy)

    return read


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


def read_exactly(handle: BinaryIO, into: memoryview, path: str | os.PathLike[str], *, expected_size: int) -> None:
    """Fill `into` from `handle` with ordinary reads (never a memory map: a file truncated under a
    map kills the process with SIGBUS). A short read means the file shrank while it was read."""
    filled = 0
    while filled < len(into):
        try:
            count = handle.readinto(into[filled:])
        except OSError as exc:  # EIO and the like: a failed read names no file by itself
            raise _naming(exc, path) from None
        if not count:
            raise changed_while_read(path, expected_size, os.fstat(handle.fileno()).st_size)
        filled += count


def pread_exactly(fd: int, into: memoryview, offset: int, path: str | os.PathLike[str], *,
                  expected_size: int) -> None:
    """Fill `into` from byte `offset` of the open file `fd` (positional reads, so two threads may
    read one descriptor); a short read means the file shrank while it was read."""
    filled = 0
    while filled < len(into):
        try:
            if hasattr(os, "preadv"):
                count = os.preadv(fd, [into[filled:]], offset + filled)
            else:  # platforms without preadv: pread and copy
                data = os.pread(fd, len(into) - filled, offset + filled)
                count = len(data)
                into[filled:filled + count] = data
        except OSError as exc:
            raise _naming(exc, path) from None
        if not count:
            raise changed_while_read(path, expected_size, os.fstat(fd).st_size)
        filled += count


def read_failed(code: int, path: str | os.PathLike[str]) -> OSError:
    """The OSError of a read that failed with errno `code` outside Python (in the C++ core),
    naming the file as a failed os.preadv would."""
    return _naming(OSError(code, os.strerror(code)), path)


def _naming(exc: OSError, path: str | os.PathLike[str]) -> OSError:
    """`exc` with the file it happened on, for the CLI's "PATH: <reason>" line."""
    if exc.filename is None:
        exc.filename = stdin_display(os.fspath(path))
    return exc


def check_unchanged(handle: BinaryIO, path: str | os.PathLike[str], expected_size: int) -> None:
    """Refuse a file whose length is not what it was when its header was checked (it grew or
    shrank while being read): what was read may mix old and new content."""
    now = os.fstat(handle.fileno()).st_size
    if now != expected_size:
        raise changed_while_read(path, expected_size, now)


def changed_while_read(path: str | os.PathLike[str], expected_size: int, now: int) -> FileFormatError:
    return FileFormatError(path, f"changed while being read (it was {expected_size} bytes when its header was "
                                 f"checked, now {now}); read it again when nothing is writing to it")

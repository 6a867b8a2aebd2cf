"""The CLI's error boundary: expected failures become one line on stderr and an exit status."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator

import typer
from rich.console import Console

from launch_phase_router.signals import interrupt_within

from ..errors import PhaseRouterError
from ..io.files import stdin_display

EXIT_BAD_INPUT = 2
EXIT_IO_FAILURE = 1
EXIT_SIGNAL_BASE = 128  # + the signal's number, as shells report it
EXIT_INTERRUPTED = EXIT_SIGNAL_BASE + signal.SIGINT  # 130; SIGTERM 143, SIGHUP 129
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Each line of `message` (a config lists one problem a line) as `phase-router: error: ...`."""
    for line in stdin_display(message).splitlines() or [""]:
        stderr.print(f"phase-router: error: {line}", markup=False)
    raise typer.Exit(code)


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Bad input: exit 2. Failing to write an output (disk full, permissions): exit 1. SIGINT,
    SIGTERM, SIGHUP: 130, 143, 129."""
    try:
        yield
    except PhaseRouterError as exc:  # an error listing several problems (a sweep config) has a line for each
        fail("\n".join(getattr(exc, "lines", None) or [str(exc)]))
    except BrokenPipeError:  # stdout's reader stopped early (`| head`): end quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except MemoryError:
        fail("out of memory; try a smaller k or fewer sources", EXIT_IO_FAILURE)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}", EXIT_IO_FAILURE)
    except KeyboardInterrupt as exc:  # staged outputs were already discarded on the way out
        message, code = interrupted(exc)
        fail(message, code)
    except (typer.Exit, typer.Abort):  # a command's own exit, whatever it was handling
        raise
    except Exception as exc:  # a signal's interrupt wrapped by the code it landed in
        interrupt = interrupt_within(exc)
        if interrupt is None:
            raise
        message, code = interrupted(interrupt)
        fail(message, code)


def interrupted(exc: KeyboardInterrupt) -> tuple[str, int]:
    """What to say and the exit status for Ctrl-C (130) or, raised by launch_phase_router's
    handlers with the signal's number, SIGTERM (143) or SIGHUP (129)."""
    signum = int(getattr(exc, "signum", signal.SIGINT))
    message = "interrupted" if signum == signal.SIGINT else f"interrupted ({signal.Signals(signum).name})"
    return message, EXIT_SIGNAL_BASE + signum


def _same_file(a: str, b: str) -> bool:
    """Whether two paths name one file: the same real path (symlinks resolved), or, when both
    exist, the same device and inode (hard links)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_distinct(outputs, inputs=()) -> None:
    """Refuse, before any work, an output that names the same file as an input or as another
    output: the atomic rename would replace the input, or one output would replace the other
    (data loss). `outputs` and `inputs` are (label, path or None) pairs; `-` (a stream) is
    never a file."""
    seen: list[tuple[str, str, str]] = []
    for label, path in inputs:
        if path is not None and os.fspath(path) != "-":
            seen.append((label, os.fspath(path), "input"))
    for label, path in outputs:
        if path is None or os.fspath(path) == "-":
            continue
        path = os.fspath(path)
        for other_label, other, kind in seen:
            if _same_file(path, other):
                fail(f"{path}: {label} names the same file as the {kind} {other_label}; "
                     f"choose another path (the {kind} would be lost)")
        seen.append((label, path, "output"))


def check_writable(path: os.PathLike[str] | str, what: str) -> None:
    """Refuse an output path that cannot be written, before any work starts."""
    path = os.fspath(path)
    if path == "-":  # standard output
        return
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        fail(f"{path}: {what} path is a directory")
    if os.path.exists(path) and not os.path.isfile(path):
        fail(f"{path}: {what} path is not a regular file (a device, FIFO or socket); phase-router writes "
             "regular files and will not replace it; use - for standard output")
    if not os.path.isdir(directory):
        fail(f"{path}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK):
        fail(f"{path}: directory {directory} is not writable")

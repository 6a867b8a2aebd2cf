"""Write-then-rename, so a failed or interrupted write never leaves a partial output file.

`output_batch()` extends this to the several files one command writes: each is written to a
temporary file beside its target, and only when all of them are complete are they renamed into
place. If any write fails (or Ctrl-C arrives), every temporary is removed and no target changes.

Concurrent runs on the same outputs: a commit holds an exclusive flock on every directory it
renames into (directory file descriptors, taken in (device, inode) order so two commits never
deadlock, and no lock file is left behind) from its first check to its last rename. Commits into
a directory therefore never interleave: the outputs on disk are always one run's complete set
(the run that committed last). A run whose commit finds a directory locked waits for it (a
commit takes milliseconds) for up to COMMIT_WAIT_SECONDS; a sweep holds its --out directory for
its whole duration (hold_directory), so a second sweep into it is refused at once.
"""

from __future__ import annotations

import contextlib
import errno
import io
import stat
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputFileError, InvalidInputError

try:
    import fcntl
except ImportError:  # no flock on this platform: commits are not ordered between processes
    fcntl = None  # type: ignore[assignment]

_umask_lock = threading.Lock()
COMMIT_WAIT_SECONDS = 60.0
_commit_lock = threading.Lock()  # one commit at a time in this process (threads of a sweep)
_held: set[tuple[int, int]] = set()  # directories this process holds for a whole sweep
_pause_between_renames = None  # tests only: a callable run between two renames, to widen the race
STDOUT = "-"  # as an output path: standard output


NAME_MAX = 255  # bytes in one file name (Linux, macOS and the BSDs)
STAGED_SUFFIX = ".partial"
_RANDOM = 16  # random hex characters that make a staged name unique


def staged_prefix(name: str, suffix: str = STAGED_SUFFIX) -> str:
    """The prefix of a staged temporary name for the output `name`: ".NAME." when the whole
    temporary name (prefix, _RANDOM random characters, `suffix`) fits in NAME_MAX bytes;
    otherwise NAME's first bytes and "~" and 8 hex digits of its hash, so a valid output name of
    any length (up to 255 bytes) always has a valid temporary name."""
    room = NAME_MAX - len(suffix) - _RANDOM - 2  # the leading "." and the "." before the random part
    encoded = os.fsencode(name)
    if len(encoded) <= room:
        return f".{name}."
    import hashlib  # here: only names too long to stage as they are need it, and it loads OpenSSL

    digest = hashlib.sha256(encoded).hexdigest()[:8]
    kept = encoded[: room - 1 - len(digest)]
    while kept and not _whole_utf8(kept):  # never split a multi-byte character
        kept = kept[:-1]
    return f".{os.fsdecode(kept)}~{digest}."


def _whole_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(data) - 3  # an invalid byte earlier on: not UTF-8, any cut will do
    return True


def shown_output(target: str) -> str:
    """An output as error messages name it."""
    return "<stdout>" if target == STDOUT else target


def name_output_error(exc: OSError, target: str) -> OSError:
    """`exc` naming the output `target` instead of the staged temporary file it happened on (or
    no file at all, as a failed write() reports): "OUT.npy: File too large", not a bare
    "File too large" nor ".OUT.npy.1f3a....partial: ..."."""
    if exc.filename is None or STAGED_SUFFIX in os.fsdecode(os.fspath(exc.filename)):
        exc.filename = shown_output(target)
        exc.filename2 = None
    return exc


class _StagedFile(io.FileIO):
    """A staged temporary file whose write errors (disk full, file too large, quota) name the
    output it stands for; BufferedWriter's flushes go through write() too."""

    def __init__(self, temp: str, target: str) -> None:
        super().__init__(temp, "wb")
        self._target = target

    def write(self, data) -> int:  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as exc:
            raise name_output_error(exc, self._target) from None


def _existing_regular(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The target's status when it is an existing regular file; None when it does not exist.
    Anything else (a FIFO, a device, a socket) is refused: the rename would replace it."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode):
        raise InputFileError(path, "is not a regular file (a device, FIFO or socket); phase-router writes regular "
                                   "files and will not replace it; use - for standard output")
    return status


def create_exclusive(path: str) -> int:
    """Create `path`, which must not exist, readable and writable by its owner only (as mkstemp
    does; commit() then gives it the mode the target should have)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)


def _creation_mode() -> int:
    """The mode open() would give a new file (0o666 less the umask); mkstemp alone gives 0o600."""
    with _umask_lock:  # reading the umask means setting it; keep other threads out meanwhile
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


class OutputBatch:
    """Files staged beside their targets, renamed into place together by commit()."""

    def __init__(self) -> None:
        self._staged: list[tuple[str, str]] = []  # (temporary, target)

    @contextlib.contextmanager
    def file(self, path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
        """A binary file to write `path`'s content to; staged when the block completes."""
        with self.open(path) as handle:  # staged at once, so discard() removes it on failure
            yield handle

    def path(self, path: str | os.PathLike[str]) -> str:
        """A staged temporary file name for `path`, for writers that need a name (np.memmap)."""
        target = os.fspath(path)
        # "-" is stdout: staged in the temporary directory and copied out at commit, so a failed
        # run writes nothing there either.
        directory = None if target == STDOUT else os.path.dirname(os.path.abspath(target))
        import secrets  # here, as tempfile: a run that writes no file need not load them (start-up)
        import tempfile

        prefix = os.path.join(directory or tempfile.gettempdir(), staged_prefix(os.path.basename(target)))
        while True:
            temp = f"{prefix}{secrets.token_hex(_RANDOM // 2)}{STAGED_SUFFIX}"
            # Recorded before it exists, so a signal at any point leaves nothing that discard()
            # does not remove (with mkstemp, one landing between the file's creation and the
            # recording of its name left a .partial behind).
            self._staged.append((temp, target))
            try:
                os.close(create_exclusive(temp))
            except FileExistsError:  # not ours (64 random bits make this all but impossible): draw again
                self._staged.pop()
                continue
            except OSError as exc:  # a read-only or full directory: say which output could not be made
                raise name_output_error(exc, target) from None
            # Any other failure (or a signal after the file was made) leaves the name recorded:
            # discard() removes the file if it exists and ignores it if not.
            return temp

    def open(self, path: str | os.PathLike[str]) -> BinaryIO:
        """A staged file open for binary writing, held across many writes; the caller closes it."""
        target = os.fspath(path)
        return io.BufferedWriter(_StagedFile(self.path(target), target))

    def commit(self) -> None:
        mode = _creation_mode()
        to_stdout = [temp for temp, path in self._staged if path == STDOUT]
        to_files = [(temp, path) for temp, path in self._staged if path != STDOUT]
        directories = {os.path.dirname(os.path.abspath(path)) for _, path in to_files}
        with _commit_lock, _locked_directories(directories):
            # Every target is checked before any is replaced, so a refusal leaves the set untouched.
            existing = {path: _existing_regular(path) for _, path in to_files}
            for number, (temp, path) in enumerate(to_files):
                kept = existing[path]
                try:
                    os.chmod(temp, stat.S_IMODE(kept.st_mode) if kept else mode)  # a replaced file keeps its mode
                    if kept and os.geteuid() == 0:  # and, where we may, its owner
                        with contextlib.suppress(OSError):
                            os.chown(temp, kept.st_uid, kept.st_gid)
                    if number and _pause_between_renames is not None:
                        _pause_between_renames()
                    os.replace(temp, path)
                except OSError as exc:
                    raise name_output_error(exc, path) from None
        for temp in to_stdout:
            with open(temp, "rb") as staged:
                sys.stdout.flush()
                try:
                    shutil.copyfileobj(staged, sys.stdout.buffer, 1 << 20)
                    sys.stdout.buffer.flush()
                except BrokenPipeError:
                    raise
                except OSError as exc:
                    raise name_output_error(exc, STDOUT) from None
            os.unlink(temp)
        self._staged.clear()

    def discard(self) -> None:
        for temp, _ in self._staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        self._staged.clear()


def _directory_key(fd: int) -> tuple[int, int]:
    status = os.fstat(fd)
    return status.st_dev, status.st_ino


@contextlib.contextmanager
def locked_directories(directories) -> Iterator[None]:
    """The commit's locks, for other writers that rename into place (evaluate's directory)."""
    with _commit_lock, _locked_directories(directories):
        yield


@contextlib.contextmanager
def _locked_directories(directories) -> Iterator[None]:
    """Exclusive flocks on `directories`, taken in (device, inode) order (the same order in every
    process, so two commits cannot each hold what the other waits for) and released when the
    descriptors close. Directories this process already holds for a sweep are skipped."""
    fds: dict[tuple[int, int], tuple[int, str]] = {}
    try:
        for directory in directories if fcntl is not None else ():
            try:
                fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError:  # e.g. a write-only directory (mode 0300): renames work, locking cannot
                continue
            key = _directory_key(fd)
            if key in fds or key in _held:
                os.close(fd)
                continue
            fds[key] = (fd, directory)
        for key in sorted(fds):
            _wait_for_lock(*fds[key])
        yield
    finally:
        for fd, _ in fds.values():
            os.close(fd)


def _wait_for_lock(fd: int, directory: str) -> None:
    deadline = time.monotonic() + COMMIT_WAIT_SECONDS
    pause = 0.002
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as exc:  # a file system without flock (some network mounts): commit unlocked
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                return
            raise
        if time.monotonic() > deadline:
            raise OSError(errno.EBUSY, f"another phase-router run has held this directory for over "
                                       f"{COMMIT_WAIT_SECONDS:.0f} s (a sweep writing into it?); nothing was "
                                       "written", directory)
        time.sleep(pause)  # Ctrl-C still lands here
        pause = min(pause * 2, 0.1)


@contextlib.contextmanager
def hold_directory(path: str | os.PathLike[str], what: str = "--out") -> Iterator[Path]:
    """Hold directory `path` (created if missing) for a whole run, e.g. a sweep: a second holder
    is refused at once (InvalidInputError, 'another sweep is writing to it'), and other runs'
    commits into it wait until it is released. A directory created here and left empty by a
    failed run is removed again."""
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise InvalidInputError(f"{directory}: {what} exists and is not a directory")
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield directory
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    key = _directory_key(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InvalidInputError(f"{directory}: another run is writing to this {what} directory (a sweep "
                                    "holds it until it ends); wait for it or choose another") from None
        except OSError as exc:
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                raise
        if key in _held:
            raise InvalidInputError(f"{directory}: this process is already writing to this {what} directory")
        _held.add(key)
        try:
            yield directory
        finally:
            _held.discard(key)
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                directory.rmdir()  # only if still empty
        raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def output_batch() -> Iterator[OutputBatch]:
    """Stage files in the block; commit them all on success, discard them all on any exception."""
    batch = OutputBatch()
    try:
        yield batch
        batch.commit()
    except BaseException:
        batch.discard()
        raise


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], batch: OutputBatch | None = None) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` on success and vanishes on failure. With a batch,
    the file joins it and is renamed when the batch commits."""
    if batch is not None:
        with batch.file(path) as handle:
            yield handle
        return
    with output_batch() as own, own.file(path) as handle:
        yield handle

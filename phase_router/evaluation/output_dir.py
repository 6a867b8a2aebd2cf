"""An evaluation's output directory, which appears complete or not at all: the run writes into a
staging directory beside it, which is renamed into place once everything is written (an old
directory, with --force, is replaced only then)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import InvalidInputError
from ..io.atomic import STAGED_SUFFIX, locked_directories, staged_prefix


def check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InvalidInputError(f"{out}: directory is not empty; choose another --out or pass --force to replace it")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise InvalidInputError(f"{out}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise InvalidInputError(f"{out}: directory {parent} is not writable")


@contextlib.contextmanager
def staged_directory(out: Path, force: bool) -> Iterator[Path]:
    """Yields the staging directory; on a normal exit it becomes `out`, on an exception it is removed."""
    out = Path(out)
    check_out(out, force)
    stage = Path(tempfile.mkdtemp(prefix=staged_prefix(out.name), suffix=STAGED_SUFFIX, dir=out.resolve().parent))
    try:
        yield stage
        os.chmod(stage, 0o777 & ~_umask())
        with locked_directories([out.resolve().parent]):  # one evaluation's directory at a time
            if out.exists():
                old = Path(tempfile.mkdtemp(prefix=staged_prefix(out.name, ".replaced"), suffix=".replaced",
                                            dir=out.resolve().parent))
                os.replace(out, old)
                os.replace(stage, out)
            else:
                old = None
                os.replace(stage, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

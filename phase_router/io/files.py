"""Opening input files with one-line errors that name the file."""

from __future__ import annotations

import os
from typing import BinaryIO

from ..errors import InputFileError


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

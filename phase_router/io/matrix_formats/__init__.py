"""The matrix file formats S and T may be given in, one module each, registered below in the
order detection tries them. Detection, the readers, the header layouts, the memory estimates,
`gen`'s writers and the messages listing the accepted formats all come from this registry."""

from __future__ import annotations

import os
from pathlib import PurePath

from ...errors import FileFormatError, InvalidInputError
from ..files import read_magic
from . import npy, npz, pbm
from .base import FileLayout, MatrixFormat

MATRIX_FORMATS: dict[str, MatrixFormat] = {}


def register(fmt: MatrixFormat) -> None:
    MATRIX_FORMATS[fmt.name] = fmt


register(pbm.FORMAT)
register(npy.FORMAT)
register(npz.FORMAT)

MAGIC_BYTES = 8  # enough for every format's signature


def accepted_formats() -> str:
    """'PBM (P1/P4), NPY or ...': the registered formats, for help texts and refusals."""
    labels = [fmt.label for fmt in MATRIX_FORMATS.values()]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def format_of(path: str | os.PathLike[str]) -> MatrixFormat:
    """The format whose signature the file starts with."""
    magic = read_magic(path, MAGIC_BYTES)
    for fmt in MATRIX_FORMATS.values():
        if fmt.claims(path, magic):
            return fmt
    if not magic:
        raise FileFormatError(path, "file is empty")
    raise FileFormatError(path, f"not a {accepted_formats()} file (starts with {magic[:6]!r})")


def writer_named(name: str) -> MatrixFormat:
    """A format `gen` can write, by name."""
    fmt = MATRIX_FORMATS.get(name) if isinstance(name, str) else None
    if fmt is None or not fmt.writable:
        raise InvalidInputError(f"format must be one of {', '.join(writable_formats())}, got {name!r}")
    return fmt


def writable_formats() -> tuple[str, ...]:
    return tuple(name for name, fmt in MATRIX_FORMATS.items() if fmt.writable)


def writer_for_path(path: str | os.PathLike[str]) -> MatrixFormat:
    """The writable format whose extension the path has; the first writable one otherwise (stdout
    too). The extension of a format that is only read is refused: its name would promise a
    format the file does not have."""
    ext = PurePath(os.fsdecode(path)).suffix.lower()
    read_only = next((fmt for fmt in MATRIX_FORMATS.values() if not fmt.writable and ext in fmt.extensions), None)
    if read_only is not None:
        writable = [fmt.label for fmt in MATRIX_FORMATS.values() if fmt.writable]
        raise InvalidInputError(f"{os.fspath(path)}: {read_only.label} files are read, not written; write "
                                f"{' or '.join(writable)} instead")
    writers = [fmt for fmt in MATRIX_FORMATS.values() if fmt.writable]
    return next((fmt for fmt in writers if ext in fmt.extensions), writers[0])


__all__ = ["MATRIX_FORMATS", "FileLayout", "MatrixFormat", "accepted_formats", "format_of", "register",
           "writable_formats", "writer_for_path", "writer_named"]

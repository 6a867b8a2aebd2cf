"""Typed exceptions. Every message is one line a user can act on."""

from __future__ import annotations

import os


class PhaseRouterError(Exception):
    """Base class of every error phase-router raises on purpose.

    Its text is always one line: a message that quotes a value whose repr spans lines (a NumPy
    array, a parser's two-line report) is collapsed, since the CLI prints it as its one line."""

    def __str__(self) -> str:
        text = super().__str__()
        return " ".join(text.split()) if "\n" in text or "\r" in text else text


class InvalidInputError(PhaseRouterError, ValueError):
    """An argument (matrix, degrees, k, seed, option) is not acceptable."""


class ShapeMismatchError(InvalidInputError):
    """S and T do not have the shapes M x E and E x M."""


class InputFileError(InvalidInputError):
    """A file cannot be used: missing, unreadable, or malformed. The message names the file.

    Args:
        path: the file, as the user named it (kept as ``self.path``).
        problem: what is wrong with it, one line (kept as ``self.problem``); the message is
            ``"{path}: {problem}"``.
    """

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = os.fspath(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class FileFormatError(InputFileError):
    """A file's content does not follow its format (bad magic, truncated, bad values, ...).

    Args:
        path: the file, as the user named it.
        problem: what is wrong with its content, one line.
    """


class ResourceLimitError(PhaseRouterError):
    """The request would need more memory than the machine has."""


class SolverError(PhaseRouterError):
    """An external solver (SciPy's HiGHS) did not return the proven optimum it was asked for."""

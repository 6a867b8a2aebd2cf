"""The journal: one JSON line per finished cell, appended as each cell completes.

It is the sweep's source of truth. results.csv/json and summary.md are rewritten from it, so an
interrupted run (Ctrl-C, a killed job, a lost Dask worker) loses at most the cells in flight, and
`--resume` reads it to skip what is done. A line cut short by a crash is ignored and trimmed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from ..errors import InputFileError

JOURNAL_NAME = "journal.jsonl"
# The first line of a journal names its format and, from format 3, records the config it runs:
# `{"journal": "phase-router-sweep-journal/3", "config": {...}}`. Format 2 (no config) and
# journals without the line (written when `seeds: N` meant the single seed N) cannot be checked
# against the config being resumed, so `--resume` refuses them.
JOURNAL_FORMAT = "phase-router-sweep-journal/3"
OLD_FORMATS = ("phase-router-sweep-journal/2",)


class JournalError(InputFileError):
    """A journal that cannot be resumed: corrupt, hand-edited, or of another sweep."""


def journal_header(path: Path) -> Optional[dict]:
    """The journal's first line if it is a format header, else None (an older journal, or none)."""
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except ValueError:
        return None
    return header if isinstance(header, dict) and "journal" in header else None


def journal_format(path: Path) -> Optional[str]:
    """The format named by the journal's first line, or None (an older journal, or none yet)."""
    header = journal_header(path)
    return header.get("journal") if header is not None else None


def read_journal(path: Path) -> list[dict]:
    """The records, in the order they finished. Only the last line can be torn (appends are whole
    lines, see Journal), and it is skipped; any other line that is not a JSON object with a
    string `cell_id` means the file was damaged or edited, and raises JournalError naming it."""
    if not path.exists():
        return []
    records = []
    data = path.read_bytes()
    lines = data.split(b"\n")
    if not data.endswith(b"\n"):
        lines = lines[:-1]  # a torn last line: the cell it was writing is simply run again
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            raise JournalError(path, f"line {number} is not valid JSON; the journal was damaged or edited "
                                     f"(run into a new --out)") from None
        if number == 1 and isinstance(record, dict) and "journal" in record:
            continue  # the format header
        if not isinstance(record, dict) or not isinstance(record.get("cell_id"), str):
            raise JournalError(path, f"line {number} is not a cell record (a JSON object with a cell_id); "
                                     f"the journal was damaged or edited (run into a new --out)")
        records.append(record)
    return records


class Journal:
    """Appends records as single writes of whole lines, flushed to disk one by one."""

    def __init__(self, path: Path, config: Optional[dict] = None) -> None:
        self.path = path
        self._trim_torn_tail()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        if os.fstat(self._fd).st_size == 0:
            header: dict = {"journal": JOURNAL_FORMAT}
            if config is not None:
                header["config"] = config
            self._write(header)

    def _trim_torn_tail(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            with open(self.path, "r+b") as handle:
                handle.truncate(data.rfind(b"\n") + 1)

    def append(self, record: dict) -> None:
        self._write(record)

    def _write(self, record: dict) -> None:
        line = json.dumps(record, sort_keys=True, separators=(",", ":")).encode() + b"\n"
        try:
            os.write(self._fd, line)
            os.fsync(self._fd)
        except OSError as exc:  # a write error names no file by itself: say which journal
            exc.filename = exc.filename or os.fspath(self.path)
            raise

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

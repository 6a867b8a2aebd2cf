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

JOURNAL_NAME = "journal.jsonl"
# The first line of a journal names its format. Format 2: `seeds: N` in the config means the N
# seeds 0..N-1. Journals without the line were written when `seeds: N` meant the single seed N,
# so their cells cannot be told apart from a different grid's and `--resume` refuses them.
JOURNAL_FORMAT = "phase-router-sweep-journal/2"


def journal_format(path: Path) -> Optional[str]:
    """The format named by the journal's first line, or None (an older journal, or none yet)."""
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        first = handle.readline()
    try:
        header = json.loads(first)
    except ValueError:
        return None
    return header.get("journal") if isinstance(header, dict) else None


def read_journal(path: Path) -> list[dict]:
    """The complete records, in the order they finished; a torn last line is skipped."""
    if not path.exists():
        return []
    records = []
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue  # only the last line can be torn: appends are whole lines
        if isinstance(record, dict) and "cell_id" in record:
            records.append(record)
    return records


class Journal:
    """Appends records as single writes of whole lines, flushed to disk one by one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._trim_torn_tail()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        if os.fstat(self._fd).st_size == 0:
            self._write({"journal": JOURNAL_FORMAT})

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
        os.write(self._fd, line)
        os.fsync(self._fd)

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

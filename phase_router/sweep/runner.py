"""Running a sweep into an output directory, resumably.

Layout of the directory:
  journal.jsonl   one line per finished cell (the source of truth, appended as cells finish)
  config.yaml     the validated config, as run
  results.json    every record, in grid order, with the config and the field lists
  results.csv     the same records, one row each (timings in the time_* columns)
  summary.md      a table a person can read
results.* and summary.md are rewritten atomically from the journal at the start, at the end and
on any interruption, so the directory is always valid, and `--resume` continues from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Protocol

import yaml

from ..errors import InvalidInputError
from ..io import atomic_output
from . import executors
from .config import SweepConfig
from .expectations import check_selections
from .grid import Cell, check_cells, check_grid_size, expand
from .journal import (JOURNAL_FORMAT, JOURNAL_NAME, OLD_FORMATS, Journal, JournalError, journal_header,
                      read_journal)
from .records import RecordError, check_records
from .results import ordered_records, write_results


class Reporter(Protocol):
    def start(self, total: int, done: int) -> None: ...
    def advance(self, record: dict) -> None: ...


@dataclass(frozen=True)
class SweepOutcome:
    out_dir: Path
    cells: list[Cell]
    records: list[dict]  # in grid order
    skipped: int  # cells already done before this run (--resume)

    @property
    def complete(self) -> bool:
        return len(self.records) == len(self.cells)


def plan(config: SweepConfig, base_dir: Path) -> list[Cell]:
    """Every cell of the grid, checked up front: its size before expanding it, then every
    cell's values with the API's own checks (so no cell can fail on them mid-sweep)."""
    check_grid_size(config)
    cells = expand(config, base_dir)
    check_cells(cells)
    if not cells:
        raise InvalidInputError("the sweep has no cells (k_at_most_E removed every k?)")
    check_selections(list(config.expect), cells)
    return cells


# Config keys that change no record: a resumed sweep may differ in these and nothing else.
RESUMABLE_CHANGES = ("description", "expect")


def resumable_records(journal_path: Path, config_dump: dict, cells: list[Cell]) -> list[dict]:
    """The journal's records, after checking that it belongs to this config and grid: any
    corruption, older format or different config is one JournalError line (exit 2)."""
    header = journal_header(journal_path)
    if header is None:
        if b"\n" not in journal_path.read_bytes():
            return []  # created, then interrupted before its first line was whole
        raise JournalError(
            journal_path, "was written by an older phase-router, when `seeds: N` meant the single seed N "
            "(it now means the N seeds 0..N-1); its cells cannot be resumed safely: run into a new --out, or "
            "write the old seed as a list (`seeds: [N]`) and start afresh")
    if header.get("journal") in OLD_FORMATS:
        raise JournalError(journal_path, "was written by an older phase-router that did not record its config, "
                                         "so --resume cannot check it continues the same sweep: run into a new --out")
    if header.get("journal") != JOURNAL_FORMAT or not isinstance(header.get("config"), dict):
        raise JournalError(journal_path, f"line 1 is not a {JOURNAL_FORMAT} header with the sweep's config; "
                                         f"the journal was damaged or edited (run into a new --out)")
    recorded = header["config"]
    differ = [key for key in dict.fromkeys([*recorded, *config_dump])
              if key not in RESUMABLE_CHANGES and recorded.get(key) != config_dump.get(key)]
    if differ:
        raise JournalError(journal_path, f"--resume of a different config: {', '.join(differ)} "
                                         f"differ{'s' if len(differ) == 1 else ''} from the config this sweep "
                                         f"ran; resume with that config, or run this one into a new --out")
    records = read_journal(journal_path)
    by_id = {c.cell_id: c for c in cells}
    try:
        # line numbers: the header is line 1, and read_journal keeps records in file order
        return check_records(records, lambda i: f"line {i + 2}", by_id)
    except RecordError as exc:
        raise JournalError(journal_path, f"{exc}; the journal was damaged or edited (run into a new --out)") from None


def run_sweep(config: SweepConfig, base_dir: Path, out_dir: Path, *, resume: bool = False, jobs: int = 1,
              scheduler: Optional[str] = None, reporter: Optional[Reporter] = None) -> SweepOutcome:
    """Run every cell not yet in `out_dir`'s journal. Raises KeyboardInterrupt after leaving
    valid results behind if interrupted."""
    if jobs < 1:
        raise InvalidInputError(f"jobs must be at least 1, got {jobs}")
    cells = plan(config, base_dir)
    out_dir = Path(out_dir)
    journal_path = out_dir / JOURNAL_NAME
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(f"{out_dir} exists and is not a directory")
    if journal_path.exists() and not resume:
        raise InvalidInputError(
            f"{out_dir} already holds sweep results ({JOURNAL_NAME}); pass --resume to continue "
            f"them or choose another --out"
        )
    if out_dir.is_dir() and not journal_path.exists() and any(out_dir.iterdir()):
        raise InvalidInputError(
            f"{out_dir} is not empty and holds no sweep ({JOURNAL_NAME}); a sweep writes results.*, "
            f"summary.md and config.yaml there and would replace files of the same names: choose a new "
            f"or empty --out"
        )
    out_dir.mkdir(parents=True, exist_ok=True)

    config_dump = config.model_dump(mode="json")
    journal = resumable_records(journal_path, config_dump, cells) if journal_path.exists() else []
    done_ids = {r["cell_id"] for r in journal}
    todo = [c for c in cells if c.cell_id not in done_ids]
    skipped = len(cells) - len(todo)
    # The journal (with the config in its header) exists before any other file, so a directory
    # holding sweep files always holds the journal that says which sweep they belong to.
    Journal(journal_path, config_dump).close()
    with atomic_output(out_dir / "config.yaml") as handle:
        handle.write(yaml.safe_dump(config_dump, sort_keys=False).encode())

    def flush() -> list[dict]:
        records = ordered_records(cells, journal)
        write_results(out_dir, config.name or "sweep", config_dump, cells, records, config.metrics)
        return records

    flush()
    if reporter is not None:
        reporter.start(len(cells), skipped)
    if scheduler is not None:
        stream = executors.dask_cluster(todo, scheduler)
    elif jobs > 1:
        stream = executors.local_pool(todo, jobs)
    else:
        stream = executors.serial(todo)
    try:
        with Journal(journal_path, config_dump) as sink:
            for record in stream:
                sink.append(record)
                journal.append(record)
                if reporter is not None:
                    reporter.advance(record)
    finally:
        stream.close()  # cancel what has not started
        # The file is the source of truth: a signal that lands between a record's journal write
        # and its in-memory append must not leave results describing fewer cells than the journal.
        journal = read_journal(journal_path)
        records = flush()
    return SweepOutcome(out_dir, cells, records, skipped)

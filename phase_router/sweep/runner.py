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
from .grid import Cell, expand
from .journal import JOURNAL_FORMAT, JOURNAL_NAME, Journal, journal_format, read_journal
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
    cells = expand(config, base_dir)
    if not cells:
        raise InvalidInputError("the sweep has no cells (k_at_most_E removed every k?)")
    check_selections(list(config.expect), cells)
    return cells


def run_sweep(config: SweepConfig, base_dir: Path, out_dir: Path, *, resume: bool = False, jobs: int = 1,
              scheduler: Optional[str] = None, reporter: Optional[Reporter] = None) -> SweepOutcome:
    """Run every cell not yet in `out_dir`'s journal. Raises KeyboardInterrupt after leaving
    valid results behind if interrupted."""
    if jobs < 1:
        raise InvalidInputError(f"jobs must be at least 1, got {jobs}")
    cells = plan(config, base_dir)
    out_dir = Path(out_dir)
    journal_path = out_dir / JOURNAL_NAME
    if journal_path.exists() and not resume:
        raise InvalidInputError(
            f"{out_dir} already holds sweep results ({JOURNAL_NAME}); pass --resume to continue "
            f"them or choose another --out"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise InvalidInputError(f"{out_dir} exists and is not a directory")
    out_dir.mkdir(parents=True, exist_ok=True)

    journal = read_journal(journal_path)
    if journal and journal_format(journal_path) != JOURNAL_FORMAT:
        raise InvalidInputError(
            f"{journal_path} was written by an older phase-router, when `seeds: N` meant the single "
            f"seed N (it now means the N seeds 0..N-1); its cells cannot be resumed safely: run "
            f"into a new --out, or write the old seed as a list (`seeds: [N]`) and start afresh"
        )
    done_ids = {r["cell_id"] for r in journal}
    todo = [c for c in cells if c.cell_id not in done_ids]
    skipped = len(cells) - len(todo)
    config_dump = config.model_dump(mode="json")
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
        with Journal(journal_path) as sink:
            for record in stream:
                sink.append(record)
                journal.append(record)
                if reporter is not None:
                    reporter.advance(record)
    finally:
        stream.close()  # cancel what has not started
        records = flush()
    return SweepOutcome(out_dir, cells, records, skipped)

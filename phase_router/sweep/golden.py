"""Golden digests: every cell's routes_sha256 recorded once, then checked on later runs.

The regression gate for "same answer for the same seed": `sweep --record-golden FILE` writes the
digests, `sweep --check-golden FILE` compares. A cell is keyed by its cell_id (a digest of the
parameters that determine its routes), and its parameters are stored beside it so a report can
say which setting changed. A cell of the grid without a recorded digest fails too: otherwise a
renamed or added cell would pass the gate without having been compared to anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from ..io import atomic_output
from .expectations import record_label

GOLDEN_SCHEMA = "phase-router-golden/1"
PARAMS = ("router", "input", "M", "E", "k", "seed", "row_perm", "strategy")


@dataclass(frozen=True)
class GoldenReport:
    path: Path
    matched: tuple[str, ...]  # cell ids whose routes are unchanged
    changed: tuple[tuple[dict, str], ...]  # (record now, digest recorded)
    unrecorded: tuple[dict, ...]  # cells of this grid the file has no digest for
    stale: tuple[dict, ...]  # entries of the file that are not cells of this grid (reported only)

    @property
    def passed(self) -> bool:
        return not self.changed and not self.unrecorded

    def status(self, cell_id: str) -> str:
        """'same', 'changed' or 'unrecorded'."""
        if any(r["cell_id"] == cell_id for r, _ in self.changed):
            return "changed"
        if any(r["cell_id"] == cell_id for r in self.unrecorded):
            return "unrecorded"
        return "same"


def record_golden(path: Path, name: str, records: list[dict]) -> None:
    cells = [{"cell_id": r["cell_id"], **{p: r[p] for p in PARAMS}, "routes_sha256": r["routes_sha256"]}
             for r in records]
    with atomic_output(path) as handle:
        # one cell per line: a changed digest is a one-line diff in review
        lines = ",\n".join("  " + json.dumps(c, sort_keys=False) for c in cells)
        head = json.dumps({"schema": GOLDEN_SCHEMA, "sweep": name})[:-1]
        handle.write(f'{head}, "cells": [\n{lines}\n]}}\n'.encode())


def read_golden(path: Path) -> dict[str, dict]:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "no such golden file" if not path.exists() else "not a file")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"not valid JSON: {exc}") from None
    if not isinstance(payload, dict) or payload.get("schema") != GOLDEN_SCHEMA or not isinstance(payload.get("cells"), list):
        raise InputFileError(path, f"not a golden digest file (schema {GOLDEN_SCHEMA} expected; "
                                   f"write one with --record-golden)")
    cells = {}
    for i, cell in enumerate(payload["cells"]):
        if not (isinstance(cell, dict) and isinstance(cell.get("cell_id"), str)
                and isinstance(cell.get("routes_sha256"), str)):
            raise InputFileError(path, f"cells[{i}] needs a cell_id and a routes_sha256")
        cells[cell["cell_id"]] = cell
    return cells


def check_golden(path: Path, records: list[dict]) -> GoldenReport:
    recorded = read_golden(path)
    matched, changed, unrecorded = [], [], []
    for r in records:
        entry = recorded.get(r["cell_id"])
        if entry is None:
            unrecorded.append(r)
        elif entry["routes_sha256"] != r["routes_sha256"]:
            changed.append((r, entry["routes_sha256"]))
        else:
            matched.append(r["cell_id"])
    ids = {r["cell_id"] for r in records}
    stale = [entry for cid, entry in recorded.items() if cid not in ids]
    return GoldenReport(Path(path), tuple(matched), tuple(changed), tuple(unrecorded), tuple(stale))


def failure_lines(report: GoldenReport) -> list[str]:
    lines = [f"golden {report.path}: {record_label(r)}: routes changed, sha256 {old[:12]}… recorded, "
             f"{r['routes_sha256'][:12]}… now (cell {r['cell_id']})" for r, old in report.changed]
    lines += [f"golden {report.path}: {record_label(r)}: no recorded digest (cell {r['cell_id']}); "
              f"re-record with --record-golden if the grid changed on purpose" for r in report.unrecorded]
    return lines

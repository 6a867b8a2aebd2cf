"""The shape of a sweep record (cell.py's run_cell writes it), checked wherever records are read
back from a file a person could have edited: the journal on `--resume` and results.json given
to `plot`. A record that does not have it is one line naming the file and what is wrong, never
a KeyError or TypeError deep in a report or a plot."""

from __future__ import annotations

import math
import re
from typing import Optional

from .._internal.scalars import MAX_DIM, MAX_SEED
from .cell import TIMING_FIELDS
from .config import ALL_METRICS, METRIC_FIELDS
from .grid import Cell

HEX16 = re.compile(r"^[0-9a-f]{16}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
STRATEGIES = ("auto", "dense", "sparse")
INTEGER_METRICS = {"active_routes", "rows_underfilled", "load_min", "load_max", "empty_targets"}


class RecordError(ValueError):
    """What is wrong with one record (the caller adds the file and line)."""


def _integer(record: dict, key: str, low: int, high: int) -> int:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RecordError(f"{key} must be an integer in [{low}, {high}], got {_show(value)}")
    return value


def _number(record: dict, key: str) -> None:
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise RecordError(f"{key} must be a finite non-negative number, got {_show(value)}")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_record(record: object) -> dict:
    """The record if it has every field a sweep record has, with its type; else RecordError."""
    from ..analysis.routers import ROUTERS

    if not isinstance(record, dict):
        raise RecordError(f"a record must be a JSON object, got {type(record).__name__}")
    cell_id = record.get("cell_id")
    if not isinstance(cell_id, str) or not HEX16.match(cell_id):
        raise RecordError(f"cell_id must be 16 hex digits, got {_show(cell_id)}")
    if not isinstance(record.get("router"), str) or record["router"] not in ROUTERS:
        raise RecordError(f"router must be one of {', '.join(ROUTERS)}, got {_show(record.get('router'))}")
    if not isinstance(record.get("input"), str):
        raise RecordError(f"input must be a string, got {_show(record.get('input'))}")
    for key in ("M", "E", "k"):
        _integer(record, key, 1, MAX_DIM)
    _integer(record, "seed", 0, MAX_SEED)
    _integer(record, "repetitions", 1, 1000)
    if record.get("row_perm") is not None and not isinstance(record.get("row_perm"), bool):
        raise RecordError(f"row_perm must be true, false or null, got {_show(record.get('row_perm'))}")
    if record.get("strategy") is not None and (not isinstance(record["strategy"], str)
                                               or record["strategy"] not in STRATEGIES):
        raise RecordError(f"strategy must be one of {', '.join(STRATEGIES)} or null, got {_show(record.get('strategy'))}")
    for group in ALL_METRICS:
        for key in METRIC_FIELDS.get(group, ()):
            if key in record:
                if key in INTEGER_METRICS:
                    _integer(record, key, 0, 2**63 - 1)
                else:
                    _number(record, key)
    digest = record.get("routes_sha256")
    if not isinstance(digest, str) or not HEX64.match(digest):
        raise RecordError(f"routes_sha256 must be 64 hex digits, got {_show(digest)}")
    timings = record.get("timings")
    if not isinstance(timings, dict):
        raise RecordError(f"timings must be an object, got {_show(timings)}")
    for key in TIMING_FIELDS:
        if key in timings:
            _number(timings, key)
    _check_cell(record)
    return record


def _check_cell(record: dict) -> None:
    """`cell` rebuilds the cell (plots recompute histograms from it): its identity must be the
    record's, i.e. its digest must be the record's cell_id."""
    cell = record.get("cell")
    if not isinstance(cell, dict):
        raise RecordError(f"cell must be an object, got {_show(cell)}")
    if not isinstance(cell.get("input"), dict) or not isinstance(cell["input"].get("generator"), str):
        raise RecordError("cell.input must be an object with a generator name")
    if not isinstance(cell.get("metrics", []), list) or not all(m in ALL_METRICS for m in cell.get("metrics", [])):
        raise RecordError(f"cell.metrics must be a list of {', '.join(ALL_METRICS)}")
    files = cell.get("files")
    if files is not None and not (isinstance(files, dict) and all(isinstance(files.get(x), str) for x in "ST")):
        raise RecordError("cell.files must be null or an object with the paths S and T")
    for key in ("router", "M", "E", "k", "seed", "row_perm", "strategy", "repetitions"):
        if cell.get(key) != record.get(key) or type(cell.get(key)) is not type(record.get(key)):
            raise RecordError(f"cell.{key} ({_show(cell.get(key))}) differs from the record's {key} "
                              f"({_show(record.get(key))})")
    try:
        rebuilt = Cell.from_dict(cell)
        same = rebuilt.cell_id == record["cell_id"]
    except (TypeError, ValueError):
        same = False
    if not same:
        raise RecordError(f"cell does not match cell_id {record['cell_id']} (its parameters were changed)")


def check_records(records: object, where: str, cells: Optional[dict] = None) -> list[dict]:
    """Every record checked, no cell twice, and with `cells` (cell_id -> Cell of the grid) every
    record a cell of the grid. `where(i)` names a record in messages."""
    if not isinstance(records, list):
        raise RecordError(f"records must be a list, got {type(records).__name__}")
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        try:
            check_record(record)
        except RecordError as exc:
            raise RecordError(f"{where(i)}: {exc}") from None
        cell_id = record["cell_id"]
        if cell_id in seen:
            raise RecordError(f"{where(i)}: cell {cell_id} appears twice (first at {where(seen[cell_id])})")
        seen[cell_id] = i
        if cells is not None:
            cell = cells.get(cell_id)
            if cell is None:
                raise RecordError(f"{where(i)}: cell {cell_id} is not in this sweep's grid")
            if Cell.from_dict(record["cell"]).identity != cell.identity:
                raise RecordError(f"{where(i)}: cell {cell_id} records other parameters than the grid's")
    return records  # type: ignore[return-value]

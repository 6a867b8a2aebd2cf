"""results.csv, results.json and summary.md, rewritten together (atomically) from the journal.

Deterministic fields (parameters, seed, metrics, routes digest) are kept apart from timings:
in JSON under "timings", in CSV as the `time_*` columns. Two runs of the same grid agree on
every deterministic field whatever the executor; `deterministic_view` is that comparison.
"""

from __future__ import annotations

import csv
import io as _io
import json
import statistics
from pathlib import Path

from ..io import output_batch
from .cell import TIMING_FIELDS
from .config import METRIC_FIELDS
from .grid import Cell

SCHEMA = "phase-router-sweep/1"
PARAM_COLUMNS = ("cell_id", "router", "input", "M", "E", "k", "seed", "row_perm", "strategy", "repetitions")
METRIC_COLUMNS = METRIC_FIELDS
DIGEST_COLUMN = "routes_sha256"


def columns(metrics) -> tuple[list[str], list[str]]:
    """(deterministic columns, timing columns) of the CSV for the chosen metric groups."""
    deterministic = list(PARAM_COLUMNS)
    for group in ("fill", "loads", "skew"):
        if group in metrics:
            deterministic += METRIC_COLUMNS[group]
    deterministic.append(DIGEST_COLUMN)
    timing = [f"time_{name}" for name in TIMING_FIELDS
              if "time" in metrics or not name.startswith("route_ms")]
    return deterministic, timing


def deterministic_view(record: dict) -> dict:
    """Everything in a record except its timings: equal for equal cells, on any executor."""
    return {k: v for k, v in record.items() if k != "timings"}


def ordered_records(cells: list[Cell], journal: list[dict]) -> list[dict]:
    """The journal's records of this grid's cells, in grid order (the last record of a cell wins)."""
    by_id = {r["cell_id"]: r for r in journal}
    return [by_id[c.cell_id] for c in cells if c.cell_id in by_id]


def write_results(out_dir: Path, name: str, config: dict, cells: list[Cell], records: list[dict],
                  metrics) -> None:
    det, timing = columns(metrics)
    payload = {
        "schema": SCHEMA, "name": name, "config": config,
        "cells_total": len(cells), "cells_done": len(records), "complete": len(records) == len(cells),
        "deterministic_fields": det, "timing_fields": timing, "records": records,
    }
    with output_batch() as batch:
        with batch.file(out_dir / "results.json") as handle:
            handle.write(json.dumps(payload, indent=1, sort_keys=False).encode() + b"\n")
        with batch.file(out_dir / "results.csv") as handle:
            handle.write(_csv(records, det, timing).encode())
        with batch.file(out_dir / "summary.md") as handle:
            handle.write(summary_markdown(name, len(cells), records, metrics).encode())


def _csv(records: list[dict], det: list[str], timing: list[str]) -> str:
    text = _io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(det + timing)
    for record in records:
        row = [_cell_text(record.get(c)) for c in det]
        row += [_cell_text(record["timings"].get(c.removeprefix("time_"))) for c in timing]
        writer.writerow(row)
    return text.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # round-trips exactly
    return str(value)


def load_results(out_dir: Path) -> dict:
    """results.json of a sweep directory (as written by write_results), every record checked
    (records.py), so a damaged or hand-edited file is one line naming it and the problem."""
    from ..errors import FileFormatError, InputFileError
    from .records import RecordError, check_records

    path = Path(out_dir) / "results.json"
    if not path.is_file():
        raise InputFileError(path, "no such file; is this a sweep output directory?")
    try:
        payload = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputFileError(path, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise FileFormatError(path, "not valid JSON: not UTF-8 text") from None
    except RecursionError:
        raise FileFormatError(path, "not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise FileFormatError(path, f"not valid JSON: {exc}") from None
    if not isinstance(payload, dict) or payload.get("schema") != SCHEMA:
        raise FileFormatError(path, f"not a phase-router sweep result (schema {SCHEMA} expected)")
    try:
        records = check_records(payload.get("records"), lambda i: f"records[{i}]")
        _check_same_fields(records)
    except RecordError as exc:
        raise FileFormatError(path, f"{exc} (the file was damaged or edited; rerun the sweep)") from None
    return payload


def _check_same_fields(records: list[dict]) -> None:
    """One sweep records the same metric and timing fields in every cell (the plots choose their
    figures from the first record)."""
    if not records:
        return
    fields, timings = set(records[0]) - {"timings"}, set(records[0]["timings"])
    for i, record in enumerate(records[1:], start=1):
        if set(record) - {"timings"} != fields or set(record["timings"]) != timings:
            from .records import RecordError

            raise RecordError(f"records[{i}] has other fields than records[0] "
                              f"({', '.join(sorted((set(record) ^ fields) | (set(record['timings']) ^ timings)))})")


def summary_markdown(name: str, total: int, records: list[dict], metrics) -> str:
    """One row per group of cells that differ only by seed: means over seeds, worst skew."""
    groups: dict[tuple, list[dict]] = {}
    for r in records:
        key = (r["router"], r["input"], r["M"], r["E"], r["k"], r["row_perm"], r["strategy"])
        groups.setdefault(key, []).append(r)
    head = ["router", "input", "M × E", "k", "row_perm", "strategy", "seeds"]
    if "fill" in metrics:
        head += ["fill", "rows < k"]
    if "skew" in metrics:
        head += ["max/mean (mean)", "max/mean (worst)"]
    if "loads" in metrics:
        head += ["load max", "load std"]
    if "time" in metrics:
        head += ["route ms (median)"]
    lines = [
        f"# Sweep `{name}`", "",
        f"{len(records)} of {total} cells done" + ("." if len(records) == total
                                                   else "; run again with `--resume` to finish."),
        "Each row aggregates the seeds of one setting: means over seeds, worst = max over seeds. "
        "max/mean is the column skew (1 = perfectly balanced). Timings are medians over repetitions "
        "and seeds, and vary between runs; every other number is deterministic.", "",
        "| " + " | ".join(head) + " |", "|" + "|".join("---" if i < 3 else "---:" for i in range(len(head))) + "|",
    ]
    for (router, label, M, E, k, row_perm, strategy), rs in groups.items():
        row = [router, label, f"{M} × {E}", str(k), _opt(row_perm), _opt(strategy), str(len(rs))]
        if "fill" in metrics:
            row += [f"{statistics.fmean(r['fill_ratio'] for r in rs):.4f}",
                    f"{statistics.fmean(r['rows_underfilled'] for r in rs):.1f}"]
        if "skew" in metrics:
            row += [f"{statistics.fmean(r['skew'] for r in rs):.3f}", f"{max(r['skew'] for r in rs):.3f}"]
        if "loads" in metrics:
            row += [f"{statistics.fmean(r['load_max'] for r in rs):.1f}",
                    f"{statistics.fmean(r['load_std'] for r in rs):.2f}"]
        if "time" in metrics:
            row += [f"{statistics.median(r['timings']['route_ms_median'] for r in rs):.3f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _opt(value) -> str:
    return "—" if value is None else str(value).lower()

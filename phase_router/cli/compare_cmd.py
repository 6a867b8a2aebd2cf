"""`phase-router compare-hash`: phase (random, greedy), hash (uniform, weighted) and two-choice on
the same inputs and seeds, one table and one verdict per scenario."""

from __future__ import annotations

import csv
import io as _io
import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from .. import io
from ..analysis.compare import compare_routers, verdict
from ..inputs.matrices import GENERATORS, degrees
from .errors import check_writable, cli_errors, fail
from .gen_cmd import parse_shape
from .planning_cmd import read_degrees
from .render import TerminalAware

wide = TerminalAware(width=200)  # eleven numeric columns do not fit 80

COLUMNS = [("max/mean p50", "max_over_mean_p50"), ("p99", "max_over_mean_p99"), ("MaxVio p50", "maxvio_p50"),
           ("MaxVio p99", "maxvio_p99"), ("std", "std_mean"), ("Gini", "gini_mean"), ("fill", "fill_mean"),
           ("drop@1.0", "dropped_at_1_0"), ("drop@1.25", "dropped_at_1_25"), ("ms", "ms_median")]


def compare_hash_command(
    s_file: Optional[Path] = typer.Argument(None, help="Sources, M x E (or use --scenario).", metavar="S", show_default=False),
    t_file: Optional[Path] = typer.Argument(None, help="Targets, E x M.", metavar="T", show_default=False),
    scenario: List[str] = typer.Option([], "--scenario", help=f"Generated inputs (repeatable): {', '.join(GENERATORS)}."),
    shape: str = typer.Option("1024x1024", "--shape", help="M x E for --scenario inputs."),
    k: int = typer.Option(..., "-k", "--k", min=1, help="Fan-out cap."),
    seeds: int = typer.Option(20, "--seeds", min=1, help="Seeds 0..seeds-1 for every router."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    csv_path: Optional[Path] = typer.Option(None, "--csv", help="Also write one CSV row per scenario and router."),
) -> None:
    """Compare the phase router with hash routers and two-choice, scenario by scenario."""
    with cli_errors():
        if (s_file is None) != (t_file is None):
            fail("give both S and T, or neither (with --scenario)")
        if s_file is None and not scenario:
            fail("give S and T files or at least one --scenario")
        if csv_path is not None:
            check_writable(csv_path, "--csv")
        inputs = []
        if s_file is not None:
            inputs.append((f"{s_file} / {t_file}", *read_degrees(s_file, t_file)))
        M, E = parse_shape(shape)
        for name in scenario:
            s, t = degrees(name, M, E, k=k, seed=0)
            inputs.append((f"{name} {M}x{E}", s, t))
        report = []
        for label, s, t in inputs:
            results = compare_routers(s, t, k, range(seeds))
            report.append({"scenario": label, "k": k, "seeds": seeds, "routers": results, "verdict": verdict(results)})
        if csv_path is not None:
            buffer = _io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["scenario", "k", "seeds", "router", *[key for _, key in COLUMNS]])
            for entry in report:
                for name, row in entry["routers"].items():
                    writer.writerow([entry["scenario"], k, seeds, name, *[row[key] for _, key in COLUMNS]])
            with io.atomic_output(csv_path) as handle:
                handle.write(buffer.getvalue().encode())
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for entry in report:
        table = Table(title=f"{entry['scenario']}, k={k}, {seeds} seeds", title_justify="left")
        table.add_column("router", style="bold")
        for title, _ in COLUMNS:
            table.add_column(title, justify="right")
        for name, row in entry["routers"].items():
            table.add_row(name, *[f"{row[key]:.4f}" if key != "ms_median" else f"{row[key]:.2f}" for _, key in COLUMNS])
        wide.print(table)
        wide.print(f"verdict: {entry['verdict']}", markup=False)

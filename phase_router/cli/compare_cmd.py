"""`phase-router compare-hash`: every router (the phase policies, hash uniform and weighted,
two-choice) like for like: the same inputs, seeds and per-source route counts; means with 95 %
intervals over seeds and verdicts that name their metric (analysis/compare.py)."""

from __future__ import annotations

import csv
import io as _io
import json
from pathlib import Path
from typing import List, Optional

import typer

from .. import io
from ..analysis.compare import compare, verdict_lines
from ..analysis.like_for_like import FEASIBLE, check_feasible
from ..inputs.generators import GENERATORS, degrees
from .help_format import choice_metavar, one_of
from .option_checks import checked_options
from .errors import check_distinct, check_writable, cli_errors, fail
from .memory import check_memory, max_memory_option, resolve_limit
from .memory.planning import compare_parts
from .gen_cmd import parse_shape
from .planning_cmd import read_degrees
from .render import compare_tables, stdout, verdict_text

COLUMNS = [("max/mean", "max_over_mean"), ("max(L/t)/mean", "relative_max_over_mean"), ("max L/t", "max_load_per_t"),
           ("std/mean", "relative_spread"), ("Gini", "gini"), ("fill", "fill"), ("drop@1.0", "dropped_at_1_0"),
           ("drop@1.25", "dropped_at_1_25"), ("ms", "ms_median")]
WITH_INTERVAL = {"max_over_mean", "relative_max_over_mean"}


def compare_hash_command(
    s_file: Optional[Path] = typer.Argument(None, help="Sources, M x E (or use --scenario).", metavar="S", show_default=False),
    t_file: Optional[Path] = typer.Argument(None, help="Targets, E x M.", metavar="T", show_default=False),
    scenario: List[str] = typer.Option([], "--scenario", metavar="KIND", help=f"Generated inputs (repeatable), {one_of(GENERATORS)}."),
    shape: str = typer.Option("1024x1024", "--shape", metavar="SHAPE", help="M x E for --scenario inputs (or N for N x N)."),
    k: int = typer.Option(..., "-k", "--k", min=1, metavar="INT", help="Fan-out cap."),
    seeds: int = typer.Option(20, "--seeds", min=1, metavar="INT", help="Seeds 0..seeds-1 for every router."),
    feasible: str = typer.Option("all", "--feasible", metavar=choice_metavar(FEASIBLE), help="Where the baselines pick from: all targets, or the phase router's candidates."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    csv_path: Optional[Path] = typer.Option(None, "--csv", metavar="FILE", help="Also write one CSV row per scenario and router."),
    max_memory: Optional[str] = max_memory_option("comparison"),
) -> None:
    """Compare the phase router with hash routers and two-choice, scenario by scenario."""
    with cli_errors():
        if (s_file is None) != (t_file is None):
            fail("give both S and T, or neither (with --scenario)")
        if s_file is None and not scenario:
            fail("give S and T files or at least one --scenario")
        check_feasible(feasible)
        if csv_path is not None:
            check_writable(csv_path, "--csv")
            check_distinct((("--csv", csv_path),), (("S", s_file), ("T", t_file)))
        limit = resolve_limit(max_memory)

        def memory(M: int, E: int) -> None:  # noqa: N803
            check_memory(compare_parts(M, E, k, seeds, candidates=feasible == "candidates"), limit,
                         what="this comparison", advice="lower k or --seeds, or raise --max-memory")

        M, E = parse_shape(shape)
        if scenario:
            memory(M, E)
        inputs = []
        if s_file is not None:
            inputs.append((f"{s_file} / {t_file}", *read_degrees(s_file, t_file, memory)))
        for name in scenario:
            s, t = degrees(name, M, E, k=k, seed=0)
            inputs.append((f"{name} {M}x{E}", s, t))
        report = []
        for label, s, t in inputs:
            result = compare(s, t, k, range(seeds), feasible=feasible)
            result.pop("per_seed")
            report.append({"scenario": label, "k": k, **result, "verdict": verdict_lines(result)})
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
        stdout.prose(f"{entry['scenario']}, k={k}, {seeds} seeds, feasible: {entry['feasible']}; "
                     f"mean over seeds [95% interval]")
        for table in compare_tables(entry, COLUMNS, cell):
            stdout.print(table)
        stdout.prose(f"like for like: {entry['rule']}")
        for line in verdict_text(entry):
            stdout.prose(line)


def cell(row: dict, key: str) -> str:
    if key == "ms_median":
        return f"{row[key]:.2f}"
    if key in WITH_INTERVAL:
        lo, hi = row[f"{key}_ci"]
        return f"{row[key]:.3f} [{lo:.3f}, {hi:.3f}]"
    return f"{row[key]:.4f}"


compare_hash_command = checked_options(compare_hash_command)

"""`phase-router route S T -k K` (or `--degrees s t`): route, write outputs chunk by chunk."""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import time
from enum import Enum
from pathlib import Path
from typing import Optional, Tuple

import typer

from .. import io
from ..io.matrix_formats import accepted_formats
from ..errors import InvalidInputError, ShapeMismatchError
from ..routing.candidates import DEFAULT_SOURCE, SOURCES
from ..routing.router import STRATEGIES, PreparedCandidates
from ..routing.selection import DEFAULT_POLICY, POLICIES, Option
from ..routing.stats import stats_from_totals
from ..routing.chunked import route_to_files, rows_per_chunk
from .._internal.scalars import check_count
from .._internal.scheduler import check_scheduler_address, check_worker_processes
from .errors import cli_errors
from .help_format import choice_metavar
from .option_checks import checked_options
from .memory import max_memory_option, resolve_limit
from .memory.route import RouteMemory
from ..io.files import is_stream
from .render import routing_table, stderr, stdout
from .route_hint import balanced_hint
from .route_outputs import RequestedOutputs, with_output_options
from .streams import stdin_inputs


def _choices(name: str, values) -> type[Enum]:
    """A Typer choice type whose members are exactly the API's own names for the option."""
    return Enum(name, {value: value for value in values}, type=str)


SelectName = _choices("SelectName", POLICIES)  # one member per selection policy
CandidatesName = _choices("CandidatesName", SOURCES)  # one member per candidate source
StrategyName = _choices("StrategyName", STRATEGIES)


@with_output_options  # Typer sees one option per registered output in place of `outputs`
def route_command(
    ctx: typer.Context,
    s_file: Optional[Path] = typer.Argument(None, help=f"Sources: M x E 0/1 matrix, {accepted_formats()}.", metavar="S", show_default=False),
    t_file: Optional[Path] = typer.Argument(None, help=f"Targets: E x M 0/1 matrix, {accepted_formats()}.", metavar="T", show_default=False),
    degrees: Optional[Tuple[Path, Path]] = typer.Option(
        None, "--degrees", metavar="S_DEGREES T_DEGREES",
        help="Degree files instead of matrices: ones per source row, ones per target row (.npy, or text: one integer per line)."),
    k: int = typer.Option(..., "-k", "--k", min=1, metavar="INT", help="Fan-out cap: at most k targets per source."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**64 - 1, metavar="INT", help="Any integer in [0, 2^64); every seed is deterministic."),
    row_perm: bool = typer.Option(False, "--row-perm", help="Lay rows on the ring in a seed-derived order instead of input order."),
    select: SelectName = typer.Option(SelectName[DEFAULT_POLICY], "--select", metavar=choice_metavar(POLICIES), help="Selection policy, which candidates to keep: " + "; ".join(f"{p.name}: {p.summary}" for p in POLICIES.values()) + "."),
    candidates: CandidatesName = typer.Option(CandidatesName[DEFAULT_SOURCE], "--candidates", metavar=choice_metavar(SOURCES), help="Candidate source: " + "; ".join(f"{c.name}: {c.summary}" for c in SOURCES.values()) + "."),
    strategy: StrategyName = typer.Option(StrategyName.auto, "--strategy", metavar=choice_metavar(STRATEGIES), help="Candidate search: dense, sparse, or auto (per row, by cost model). Same routes."),
    outputs: RequestedOutputs = None,  # type: ignore[assignment]  # one option per registered output (io/route_sinks)
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON instead of a table."),
    threads: int = typer.Option(0, "--threads", min=0, metavar="INT", help="Worker threads (0: one for a call of under about a millisecond of work, else all cores). Results never depend on it."),
    chunk_rows: Optional[int] = typer.Option(None, "--chunk-rows", min=1, metavar="INT", help="Source rows routed and written at a time (default: 64 MiB of routes)."),
    max_memory: Optional[str] = max_memory_option("routing"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Route row shards on the Dask cluster at this address (needs phase-router[distributed])."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, metavar="INT", help="Route row shards on a local Dask cluster of N worker processes."),
    **policy_flags,  # one --<option> per option a selection policy declares: see _with_policy_flags
) -> None:
    """Route sources to targets, at most k per source, and summarise the loads.

    Outputs are written chunk by chunk (memory stays bounded for any M) and appear together,
    atomically, when the routing is complete. The routes never depend on --strategy, --threads,
    --chunk-rows, --scheduler or --workers, except that --select balanced on --scheduler or
    --workers balances shards of --chunk-rows rows and reconciles them: its routes depend on
    --chunk-rows, never on the number of workers.
    """
    with cli_errors():
        inputs = _input_names(s_file, t_file, degrees)
        summary_elsewhere = outputs.check_streams(as_json)
        if degrees is None:
            s_file, t_file = stdin_inputs(s_file, t_file)
        else:
            degrees = tuple(stdin_inputs(*degrees))
        input_paths = (("S", s_file), ("T", t_file)) if degrees is None else (("s degrees", degrees[0]),
                                                                              ("t degrees", degrees[1]))
        outputs.check_paths(input_paths)
        if scheduler and workers:
            raise InvalidInputError("give --scheduler or --workers, not both")
        if scheduler is not None:
            check_scheduler_address(scheduler)
        if workers is not None:
            check_worker_processes(workers, "--workers")
        policy = POLICIES[select.value]
        if not policy.shardable and (scheduler or workers):
            raise InvalidInputError(policy.not_row_local_because)
        source = SOURCES[candidates.value]
        source.check_route_options({"degree_files": degrees is not None, "row_perm": row_perm,
                                    "strategy": strategy is not StrategyName.auto,
                                    "shards": bool(scheduler or workers)}, cli=True)
        select_options = _select_options(policy.name, policy_flags)

        rows = chunk_rows or rows_per_chunk(check_count(k, "k"))
        memory = RouteMemory(resolve_limit(max_memory), k, rows, threads=threads, policy=policy, source=source,
                             output_scratch=outputs.scratch_bytes, sharded=bool(scheduler or workers))
        if degrees is None:  # matrix headers give M and E before the rasters are read
            memory.check_matrix_files(s_file, t_file)
        else:  # a degree .npy's declared shape, a text file's size, before either is read
            memory.check_degree_files(*degrees)
        started = time.perf_counter()
        if source.from_degrees:
            a, b = _read_degrees(s_file, t_file, degrees)
        else:
            a, b = _read_matrices(s_file, t_file, weighted=source.weights is not None)
        read_ms = (time.perf_counter() - started) * 1e3
        memory.check_inputs(a, b)  # before the source prepares its candidates
        router = source.prepare(a, b, k, seed=seed, row_perm=row_perm, strategy=strategy.value,
                                select=select.value, select_options=select_options)
        del a, b
        prepare_ms = (time.perf_counter() - started) * 1e3 - read_ms

        written = outputs.shown()
        # all outputs appear together, or none does
        with io.output_batch() as batch, outputs.opened(batch, M=router.M, k=router.k, E=router.E) as sinks:
            route_start = time.perf_counter()
            with _chunk_source(router, rows, threads, scheduler, workers) as chunks:
                totals = route_to_files(router, chunks, sinks)
            timings = {"read": read_ms, "prepare": prepare_ms, "route_and_write": (time.perf_counter() - route_start) * 1e3}
            timings["total"] = (time.perf_counter() - started) * 1e3
            stats = stats_from_totals(totals, router.s, router.t, k=router.k, seed=router.seed,
                                      row_perm=router.row_perm, timings_ms=timings, selection=router.selection_report)
            stats = dataclasses.replace(stats, **router.stats_overrides(), warnings=router.input_warnings())
            enumerated = "strategy" in source.accepts  # the source enumerates candidate rows by a strategy
            execution = {"select": select.value, "candidates": candidates.value,
                         "strategy": router.strategy if enumerated else None,
                         "sparse_rows": router.sparse_rows if enumerated else None,
                         "chunk_rows": rows, "executor": _executor_name(scheduler, workers)}
            payload = {"inputs": inputs, "stats": stats.to_dict(), "execution": execution, "outputs": written}
            for sink in sinks:
                sink.summary(payload)
        # only in the human summary, only when the policy was left at its default, only in-process
        source = ctx.get_parameter_source("select")  # left at its default, not given or set by the environment
        select_was_default = source is not None and source.name == "DEFAULT"
        hint = None if as_json or scheduler or workers or not select_was_default else \
            balanced_hint(router, stats.column_load_max_over_mean, threads)
    for message in stats.warnings:
        typer.echo(f"warning: {message}", err=True)
    if as_json:
        import json  # here: the table needs no JSON (start-up)

        typer.echo(json.dumps(payload, indent=2, sort_keys=True))
    else:  # on stderr when stdout carries an output
        summary = stderr if summary_elsewhere else stdout
        summary.print(routing_table(stats, inputs, written, execution))
        if hint is not None:
            summary.print(hint, markup=False)


def _policy_flags() -> dict[str, tuple[Option, list[str]]]:
    """Every option the policies declare, by name, with the policies that take it."""
    flags: dict[str, tuple[Option, list[str]]] = {}
    for declared in POLICIES.values():
        for option in declared.options:
            flags.setdefault(option.name, (option, []))[1].append(declared.name)
    return flags


POLICY_FLAGS = _policy_flags()


def _flag_parameter(option: Option, owners: list[str]) -> inspect.Parameter:
    kind = Optional[_choices(f"{option.name.title()}Name", option.choices)] if option.choices else Optional[int]
    help_text = f"With --select {' or '.join(owners)}: {option.describe()}."
    bounds = {} if option.choices else {"min": option.minimum, "max": option.maximum}  # refused naming the flag
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, annotation=kind,
                             default=typer.Option(None, option.flag, help=help_text, show_default=False,
                                                  metavar=choice_metavar(option.choices) if option.choices else "INT",
                                                  **bounds))


def _with_policy_flags(command):
    """`command` with one keyword parameter per declared policy option in place of its
    **policy_flags, so Typer makes a --<option> flag of each."""
    signature = inspect.signature(command)
    fixed = [p for p in signature.parameters.values()
             if p.name != "policy_flags" and p.kind is not inspect.Parameter.VAR_KEYWORD]
    flags = [_flag_parameter(option, owners) for option, owners in POLICY_FLAGS.values()]
    command.__signature__ = signature.replace(parameters=fixed + flags)
    annotations = {name: hint for name, hint in getattr(command, "__annotations__", {}).items()
                   if name != "policy_flags"}
    command.__annotations__ = {**annotations, **{flag.name: flag.annotation for flag in flags}}
    return command


def _select_options(select: str, policy_flags: dict) -> dict:
    """The select_options the policy flags give; a flag of another policy is refused."""
    options = {}
    for name, value in policy_flags.items():
        if value is None:
            continue
        option, owners = POLICY_FLAGS[name]
        if select not in owners:
            raise InvalidInputError(f"{option.flag} goes with --select {' or '.join(owners)}")
        options[name] = value.value if isinstance(value, Enum) else value
    return options


route_command = checked_options(_with_policy_flags(route_command))


def _input_names(S, T, degrees) -> dict[str, str]:  # noqa: N803
    if degrees is not None and (S is not None or T is not None):
        raise InvalidInputError("give matrices S T or --degrees s t, not both")
    if degrees is not None:
        return {"s (degrees)": _shown_input(degrees[0]), "t (degrees)": _shown_input(degrees[1])}
    if S is None or T is None:
        raise InvalidInputError("give two matrix files S T, or two degree files with --degrees s t")
    return {"S": _shown_input(S), "T": _shown_input(T)}


def _shown_input(path) -> str:
    return "<stdin>" if is_stream(path) else str(path)


def _read_matrices(S, T, weighted: bool = False):  # noqa: N803
    """Both matrices whole, for a candidate source that needs them, not only their row sums; S as
    real weights for a weighted source."""
    matrix_S = io.read_weight_matrix(S) if weighted else io.read_matrix(S)
    matrix_T = io.read_matrix(T)
    if matrix_T.shape != matrix_S.shape[::-1]:
        raise ShapeMismatchError(f"{T} is {matrix_T.shape[0]} x {matrix_T.shape[1]}, but {S} is "
                                 f"{matrix_S.shape[0]} x {matrix_S.shape[1]}, so T must be "
                                 f"{matrix_S.shape[1]} x {matrix_S.shape[0]}")
    return matrix_S, matrix_T


def _read_degrees(S, T, degrees):  # noqa: N803
    """Degrees from degree files, or from matrix files by a streaming pass (only degrees matter)."""
    if degrees is not None:
        return io.read_degrees(degrees[0]), io.read_degrees(degrees[1])
    s, (M, E) = io.read_row_degrees(S)
    t, shape_T = io.read_row_degrees(T)
    if shape_T != (E, M):
        raise ShapeMismatchError(f"{T} is {shape_T[0]} x {shape_T[1]}, but {S} is {M} x {E}, so T must be {E} x {M}")
    return s, t


def _executor_name(scheduler: str | None, workers: int | None) -> str:
    if scheduler:
        return f"dask ({scheduler})"
    if workers:
        return f"dask (local cluster, {workers} workers)"
    return "local"


@contextlib.contextmanager
def _chunk_source(router: PreparedCandidates, rows: int, threads: int, scheduler: str | None, workers: int | None):
    if not (scheduler or workers):
        yield router.chunks(rows, threads=threads)
        return
    from ..routing.shards import dask_chunks, dask_client

    with dask_client(scheduler, workers) as client:
        yield dask_chunks(router, rows, client)


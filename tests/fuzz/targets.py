"""Fuzz targets: each takes the bytes of one input file, feeds them to a reader and checks the
reader's contract (docs/RELIABILITY.md): it returns a consistent result or raises a
PhaseRouterError. Any other exception is a finding; so are hangs and huge allocations, which the
runner (tests/fuzz/run.py) turns into exceptions with a timer and an address-space limit.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np

from phase_router import io
from phase_router.errors import PhaseRouterError
from phase_router.sweep.loader import load_config

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fuzz_corpus"


class Workspace:
    """A directory for fuzz inputs. Every input gets a fresh name: a reader may still hold a
    memory map of the previous file, and rewriting a mapped file in place could fault it."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._names = itertools.count()
        self._last: Path | None = None
        # Config fuzzing refers to matrix files next to the config, as real configs do.
        for name in ("S.pbm", "T.pbm", "rect_S.npy", "rect_T.npy"):
            shutil.copyfile(ROOT / "samples" / name, self.directory / name)
        # CLI fuzzing: a sweep config and degree files to point options at.
        (self.directory / "sweep.yaml").write_text(SWEEP_CONFIG)
        (self.directory / "s.txt").write_text("3\n1\n2\n")
        (self.directory / "t.txt").write_text("2\n2\n2\n")

    def write(self, suffix: str, data: bytes) -> Path:
        if self._last is not None:
            self._last.unlink(missing_ok=True)
        self._last = self.directory / f"input{next(self._names)}{suffix}"
        self._last.write_bytes(data)
        return self._last


def fuzz_pbm(ws: Workspace, data: bytes) -> None:
    path = ws.write(".pbm", data)
    header = io.read_header(path)
    degrees, shape = io.pbm_row_degrees(path)
    packed = io.read_pbm_packed(path)
    assert shape == (header.height, header.width) == packed.shape
    # The streaming count and the whole-matrix read must agree bit for bit.
    assert np.array_equal(degrees, packed.unpack().sum(axis=1))
    assert io.read_row_degrees(path)[1] == shape


def fuzz_npy_matrix(ws: Workspace, data: bytes) -> None:
    path = ws.write(".npy", data)
    degrees, shape = io.npy_row_degrees(path)
    matrix = io.read_npy_matrix(path)
    assert matrix.shape == shape and matrix.dtype == bool
    assert np.array_equal(degrees, matrix.sum(axis=1))


def fuzz_degrees(suffix: str) -> Callable[[Workspace, bytes], None]:
    def target(ws: Workspace, data: bytes) -> None:
        values = io.read_degrees(ws.write(suffix, data))
        assert values.ndim == 1 and values.size >= 1 and values.min() >= 0
    return target


def fuzz_config(ws: Workspace, data: bytes) -> None:
    config = load_config(ws.write(".yaml", data))
    assert config.k and config.inputs


# The sweep whose journal and results the sweep targets read (their corpora were written by it).
SWEEP_CONFIG = """name: fuzz
shapes: [{N: 16}]
k: [2, 4]
seeds: [0, 1]
inputs: [{generator: exact-k}]
routers: [phase, hash]
"""


def _sweep_plan(ws: Workspace):
    """(config as the journal header records it, cell_id -> cell) of SWEEP_CONFIG, made once."""
    if not hasattr(ws, "sweep_plan"):
        from phase_router.sweep.loader import parse_config
        from phase_router.sweep.runner import plan

        import yaml

        config = parse_config(yaml.safe_load(SWEEP_CONFIG), ws.directory / "fuzz.yaml")
        ws.sweep_plan = (config.model_dump(mode="json"), plan(config, ws.directory))
    return ws.sweep_plan


def fuzz_journal(ws: Workspace, data: bytes) -> None:
    """The --resume path: a journal in an output directory, checked against the config and grid."""
    from phase_router.sweep.runner import resumable_records

    config_dump, cells = _sweep_plan(ws)
    path = ws.write(".jsonl", data)
    records = resumable_records(path, config_dump, cells)
    ids = {c.cell_id for c in cells}
    assert all(r["cell_id"] in ids for r in records) and len({r["cell_id"] for r in records}) == len(records)


def fuzz_results_json(ws: Workspace, data: bytes) -> None:
    """plot's loader, then the record handling every plot does before drawing."""
    from phase_router.pictures.load_histogram import chosen_records
    from phase_router.pictures.plots import _seed_groups, panel_keys
    from phase_router.sweep.results import load_results

    directory = ws.directory / "results"
    directory.mkdir(exist_ok=True)
    (directory / "results.json").write_bytes(data)
    records = load_results(directory)["records"]
    panel_keys(records)
    _seed_groups(records)
    chosen_records(records, None)


class CliFinding(AssertionError):
    """The CLI broke its contract: a traceback, a multi-line error or an unexpected exit status."""


def cli_argv(data: bytes) -> list[str]:
    """The command line an input stands for: a JSON list of strings (the corpus and grammar), or
    else the bytes split on NUL / newlines (what mutation makes of it)."""
    import json

    try:
        argv = json.loads(data)
        if isinstance(argv, list) and all(isinstance(a, str) for a in argv):
            return argv
    except (ValueError, RecursionError):
        pass
    return [part.decode("utf-8", "surrogateescape") for part in data.replace(b"\n", b"\0").split(b"\0") if part]


def fuzz_cli_options(ws: Workspace, data: bytes) -> None:
    """A command line through the installed entry point (phase_router.cli.main), in this process:
    exit 0, 1 or 2; on exit 2 exactly one `phase-router: error:` line; never a traceback."""
    from main_in_process import run_main  # tests/ is on the path under pytest and in run.py

    argv = [a.replace("{ws}", str(ws.directory)) for a in cli_argv(data)]
    if not argv or argv[0] in ("evaluate", "--install-completion"):
        return  # evaluate runs for minutes by design; completion installs edit shell files
    saved_cwd = os.getcwd()
    os.chdir(ws.directory)
    try:
        finished = run_main(argv)
    finally:
        os.chdir(saved_cwd)
        for name in list(os.listdir(ws.directory)):  # outputs of the command: keep the workspace small
            if name.startswith("out"):
                target = ws.directory / name
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    code, text = finished.returncode, finished.stderr
    if code not in (0, 1, 2):
        raise CliFinding(f"exit status {code}: {text[-200:]!r}")
    errors = [line for line in text.splitlines() if line.startswith("phase-router: error")]
    # 2: bad input, exactly one error line. 1: a failed write (one error line) or a check that
    # did not hold (suggest-k found no k, a sweep expectation failed), reported without one.
    if (code == 2 and len(errors) != 1) or len(errors) > 1:
        raise CliFinding(f"exit {code} without exactly one error line: {text[-300:]!r}")
    if "Traceback" in text:
        raise CliFinding(f"a traceback: {text[-300:]!r}")
    if errors:  # a clean refusal: counted as "rejected" by run_one
        raise PhaseRouterError(errors[0])


# name -> (target, corpus directory). P1 and P4 share a reader but not a corpus or grammar.
TARGETS: dict[str, Callable[[Workspace, bytes], None]] = {
    "pbm_p1": fuzz_pbm,
    "pbm_p4": fuzz_pbm,
    "npy": fuzz_npy_matrix,
    "degrees_text": fuzz_degrees(".txt"),
    "degrees_npy": fuzz_degrees(".npy"),
    "yaml_config": fuzz_config,
    "journal": fuzz_journal,
    "results_json": fuzz_results_json,
    "cli_options": fuzz_cli_options,
}


def run_one(name: str, ws: Workspace, data: bytes) -> str:
    """'ok' or 'rejected' (a typed error); anything else propagates as a finding."""
    try:
        TARGETS[name](ws, data)
    except PhaseRouterError as exc:
        message = str(exc)
        # The CLI prints this message as its one line: it must be one line.
        assert "\n" not in message and message, f"error message is not one line: {message!r}"
        return "rejected"
    return "ok"


def corpus_files(name: str) -> list[Path]:
    return sorted(p for p in (CORPUS / name).iterdir() if p.is_file()) if (CORPUS / name).is_dir() else []

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
        for name in ("S.pbm", "T.pbm"):
            shutil.copyfile(ROOT / "samples" / name, self.directory / name)

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


# name -> (target, corpus directory). P1 and P4 share a reader but not a corpus or grammar.
TARGETS: dict[str, Callable[[Workspace, bytes], None]] = {
    "pbm_p1": fuzz_pbm,
    "pbm_p4": fuzz_pbm,
    "npy": fuzz_npy_matrix,
    "degrees_text": fuzz_degrees(".txt"),
    "degrees_npy": fuzz_degrees(".npy"),
    "yaml_config": fuzz_config,
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

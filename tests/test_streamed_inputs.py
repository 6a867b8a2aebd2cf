"""Issue 11, data loss class "streamed inputs read twice" and hang class "a FIFO input with no
writer": every input that can be read only once (a pipe, /dev/fd/N from process substitution, a
FIFO) is read exactly once, and a FIFO nobody writes to is an empty input, never a hang."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from phase_router.cli import app

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _pipe_with(data: bytes) -> str:
    """/dev/fd/N of a pipe a thread fills with `data` (as `<(...)` gives a shell)."""
    r, w = os.pipe()

    def write() -> None:
        with os.fdopen(w, "wb") as out:
            for start in range(0, len(data), 4096):  # in pieces, as a slow producer would
                out.write(data[start:start + 4096])

    threading.Thread(target=write, daemon=True).start()
    return f"/dev/fd/{r}"


def test_degree_text_through_a_pipe_loses_no_line(tmp_path: Path) -> None:
    s = np.arange(10_000) % 7
    np.savetxt(tmp_path / "t.txt", np.full(7, 5000), fmt="%d")
    result = run("route", "--degrees", _pipe_with("\n".join(map(str, s)).encode() + b"\n"), tmp_path / "t.txt",
                 "-k", 2, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stats"]["M"] == 10_000  # before: 7,952 of 10,000 lines


def test_a_matrix_through_a_pipe_routes_like_the_file(tmp_path: Path) -> None:
    pbm = (ROOT / "samples/S.pbm").read_bytes()
    out_pipe, out_file = tmp_path / "a.npy", tmp_path / "b.npy"
    assert run("route", _pipe_with(pbm), ROOT / "samples/T.pbm", "-k", 8, "--out", out_pipe).exit_code == 0
    assert run("route", ROOT / "samples/S.pbm", ROOT / "samples/T.pbm", "-k", 8, "--out", out_file).exit_code == 0
    assert np.array_equal(np.load(out_pipe), np.load(out_file))


def test_a_fifo_with_no_writer_is_an_empty_input_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "S.pbm"
    os.mkfifo(fifo)
    result = run("route", fifo, ROOT / "samples/T.pbm", "-k", 2)
    assert result.exit_code == 2 and "empty" in result.stderr and str(fifo) in result.stderr

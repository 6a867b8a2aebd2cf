"""Data loss class "streamed inputs read twice" and hang class "a FIFO input with no
writer": every input that can be read only once (a pipe, /dev/fd/N from process substitution, a
FIFO) is read exactly once, and a FIFO nobody writes to is an empty input, never a hang."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.io import files

ROOT = Path(__file__).resolve().parents[2]


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
    assert json.loads(result.stdout)["stats"]["M"] == 10_000  # every line, none lost in the pipe


def test_a_matrix_through_a_pipe_routes_like_the_file(tmp_path: Path) -> None:
    pbm = (ROOT / "samples/S.pbm").read_bytes()
    out_pipe, out_file = tmp_path / "a.npy", tmp_path / "b.npy"
    assert run("route", _pipe_with(pbm), ROOT / "samples/T.pbm", "-k", 8, "--out", out_pipe).exit_code == 0
    assert run("route", ROOT / "samples/S.pbm", ROOT / "samples/T.pbm", "-k", 8, "--out", out_file).exit_code == 0
    assert np.array_equal(np.load(out_pipe), np.load(out_file))


def test_a_fifo_with_no_writer_is_an_empty_input_not_a_hang(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(files, "FIFO_WRITER_WAIT_SECONDS", 0.5)  # the same answer, sooner
    fifo = tmp_path / "S.pbm"
    os.mkfifo(fifo)
    result = run("route", fifo, ROOT / "samples/T.pbm", "-k", 2)
    assert result.exit_code == 2 and "empty" in result.stderr and str(fifo) in result.stderr


def _endless_pipe() -> str:
    """/dev/fd/N of a pipe that never ends (as `yes |` would give)."""
    r, w = os.pipe()

    def write() -> None:
        with contextlib.suppress(OSError), os.fdopen(w, "wb") as out:
            while True:
                out.write(b"1\n" * 4096)

    threading.Thread(target=write, daemon=True).start()
    return f"/dev/fd/{r}"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_that_streams_for_ever_is_refused_not_copied(tmp_path: Path, device: str) -> None:
    result = run("route", device, ROOT / "samples/T.pbm", "-k", 2, "--out", tmp_path / "r.npy")
    assert result.exit_code == 2 and f"{device}: is a device" in result.stderr
    assert not (tmp_path / "r.npy").exists()


def test_an_endless_stream_is_refused_before_it_fills_the_temporary_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(files, "_spool_room", lambda: 1 << 20)  # as if the disk had 1 MiB free
    result = run("route", "--degrees", _endless_pipe(), ROOT / "samples/T.pbm", "-k", 2)
    assert result.exit_code == 2 and "stream is larger than" in result.stderr


def test_dev_null_is_an_empty_input(tmp_path: Path) -> None:
    result = run("route", "/dev/null", ROOT / "samples/T.pbm", "-k", 2)
    assert result.exit_code == 2 and "empty" in result.stderr


def test_standard_input_from_a_device_is_refused(tmp_path: Path) -> None:
    import subprocess
    import sys
    exe = Path(sys.executable).with_name("phase-router")
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run([str(exe), "route", "-", str(ROOT / "samples/T.pbm"), "-k", "2"], stdin=zero,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.strip() == "phase-router: error: <stdin>: is a device, not a file or a pipe"

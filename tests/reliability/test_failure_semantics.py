"""Every CLI error path: non-zero exit, one clear line on stderr, no traceback, and no output or
staged (.partial) file left behind; an existing output file is left as it was.
docs/RELIABILITY.md lists the same cases."""

from __future__ import annotations

import builtins
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.io import sinks as route_sinks

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_line_failure(result, code: int, *needles: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("phase-router: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def files_in(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


def outputs(tmp_path: Path) -> list[str]:
    return ["--out", str(tmp_path / "r.npy"), "--stats", str(tmp_path / "s.json"), "--pbm", str(tmp_path / "O.pbm")]


@pytest.fixture
def degree_files(tmp_path: Path) -> tuple[Path, Path]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    np.save(inputs / "s.npy", np.full(300, 5, dtype=np.int64))
    np.save(inputs / "t.npy", np.full(100, 15, dtype=np.int64))
    return inputs / "s.npy", inputs / "t.npy"


def test_missing_input_file(tmp_path: Path) -> None:
    result = run("route", tmp_path / "nope.pbm", SAMPLES / "T.pbm", "-k", 4, *outputs(tmp_path))
    assert_one_line_failure(result, 2, "nope.pbm", "no such file")
    assert files_in(tmp_path) == set()


def test_directory_given_as_input(tmp_path: Path) -> None:
    result = run("route", tmp_path, SAMPLES / "T.pbm", "-k", 4, *outputs(tmp_path))
    assert_one_line_failure(result, 2, "is a directory")
    assert files_in(tmp_path) == set()


def test_directory_given_as_degree_file(tmp_path: Path, degree_files) -> None:
    result = run("route", "--degrees", tmp_path, degree_files[1], "-k", 4, "--out", tmp_path / "r.npy")
    assert_one_line_failure(result, 2, "is a directory")
    assert "r.npy" not in files_in(tmp_path)


def test_unreadable_input(tmp_path: Path, monkeypatch) -> None:
    """Permission denied on an input. Root ignores file modes, so there the open() call itself is
    made to fail with EACCES, which is what the kernel would return."""
    S = tmp_path / "S.pbm"  # noqa: N806
    S.write_bytes((SAMPLES / "S.pbm").read_bytes())
    if IS_ROOT:
        real_open = builtins.open

        def denying_open(file, *args, **kwargs):
            if os.fspath(file) == str(S):
                raise PermissionError(errno.EACCES, "Permission denied", str(S))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", denying_open)
    else:
        S.chmod(0)
    result = run("route", S, SAMPLES / "T.pbm", "-k", 4, "--out", tmp_path / "r.npy")
    assert_one_line_failure(result, 2, "S.pbm", "permission denied")
    assert files_in(tmp_path) == {"S.pbm"}


def test_output_path_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "r.npy").mkdir()
    result = run("route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 4, "--out", tmp_path / "r.npy")
    assert_one_line_failure(result, 2, "is a directory")
    assert files_in(tmp_path) == {"r.npy"}


def test_output_directory_missing(tmp_path: Path) -> None:
    result = run("route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 4, "--out", tmp_path / "no" / "r.npy")
    assert_one_line_failure(result, 2, "does not exist")


def test_output_directory_not_writable(tmp_path: Path, monkeypatch) -> None:
    """Root may write anywhere, so there creating the staged file is made to fail with EACCES."""
    out_dir = tmp_path / "ro"
    out_dir.mkdir()
    if IS_ROOT:
        def denied(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", str(out_dir))

        monkeypatch.setattr("phase_router.io.atomic.create_exclusive", denied)
        code = 1  # found while writing: an I/O failure
    else:
        out_dir.chmod(0o555)
        code = 2  # found by the up-front check
    result = run("route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 4, "--out", out_dir / "r.npy")
    out_dir.chmod(0o755)
    assert_one_line_failure(result, code, str(out_dir))
    assert files_in(out_dir) == set()


class FullDisk:
    """A staged file whose writes fail with ENOSPC after `room` bytes, as on a full disk."""

    def __init__(self, handle, room: int) -> None:
        self._handle, self._room = handle, room

    def write(self, data) -> int:
        size = memoryview(data).nbytes
        if size > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= size
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


@pytest.mark.parametrize("target", ["r.npy", "r.csv", "O.pbm", "s.json"])
def test_disk_full_while_writing(tmp_path: Path, degree_files, monkeypatch, target: str) -> None:
    real_open = route_sinks.OutputBatch.open

    def open_on_full_disk(self, path):
        handle = real_open(self, path)
        return FullDisk(handle, 200) if Path(path).name == target else handle

    monkeypatch.setattr(route_sinks.OutputBatch, "open", open_on_full_disk)
    (tmp_path / "s.json").write_text("old stats\n")  # an existing output must survive the failure
    args = ["--out", tmp_path / ("r.csv" if target == "r.csv" else "r.npy"),
            "--pbm", tmp_path / "O.pbm", "--stats", tmp_path / "s.json"]
    result = run("route", "--degrees", *degree_files, "-k", 4, "--chunk-rows", 64, *args)
    assert_one_line_failure(result, 1, "No space left on device")
    assert files_in(tmp_path) == {"in", "s.json"}
    assert (tmp_path / "s.json").read_text() == "old stats\n"


def can_mount_tmpfs(where: Path) -> bool:
    if not IS_ROOT:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


def test_disk_full_on_a_real_tiny_filesystem(tmp_path: Path, degree_files) -> None:
    """The real thing where we may mount a 256 KiB tmpfs (root): before the fix, the .npy output
    was a memory map and a full disk killed the process with SIGBUS, leaving a .partial file."""
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if not can_mount_tmpfs(tiny):
        pytest.skip("mounting a tmpfs needs root; test_disk_full_while_writing covers the same path")
    cli = Path(sys.executable).parent / "phase-router"
    try:
        for name in ("r.npy", "r.csv"):
            # In a subprocess: a regression to SIGBUS must fail this test, not kill pytest.
            done = subprocess.run([str(cli), "route", "--degrees", *map(str, degree_files), "-k", "1000",
                                   "--out", str(tiny / name)], capture_output=True, text=True)
            assert done.returncode == 1, (done.returncode, done.stderr)
            assert done.stderr.strip() == f"phase-router: error: {tiny / name}: No space left on device"
            assert files_in(tiny) == set()
    finally:
        subprocess.run(["umount", str(tiny)], check=True)


def test_ctrl_c_leaves_nothing_behind(tmp_path: Path) -> None:
    """SIGINT while the outputs are being written: exit 130, one line, no output or .partial."""
    M, E = 2**21, 256
    np.save(tmp_path / "s.npy", np.full(M, 64, dtype=np.int64))
    np.save(tmp_path / "t.npy", np.full(E, M // 4, dtype=np.int64))
    out = tmp_path / "out"
    out.mkdir()
    cli = Path(sys.executable).parent / "phase-router"
    process = subprocess.Popen(
        [str(cli), "route", "--degrees", str(tmp_path / "s.npy"), str(tmp_path / "t.npy"), "-k", "64",
         "--chunk-rows", "4096", "--out", str(out / "r.csv"), "--pbm", str(out / "O.pbm")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # not ignored, even in a background job
    try:
        while not any(p.stat().st_size > 0 for p in out.iterdir()):  # wait until it is writing
            assert process.poll() is None, process.communicate()
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, (process.returncode, stderr)
    assert stderr.strip() == "phase-router: error: interrupted"
    assert files_in(out) == set()


def test_existing_output_survives_a_failed_run(tmp_path: Path) -> None:
    (tmp_path / "r.npy").write_bytes(b"previous")
    result = run("route", SAMPLES / "S.pbm", tmp_path / "missing.pbm", "-k", 4, "--out", tmp_path / "r.npy")
    assert_one_line_failure(result, 2, "missing.pbm")
    assert (tmp_path / "r.npy").read_bytes() == b"previous"


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "empty"),
    (b"P4\n10 10\n\x00", "truncated"),
    (b"P6\n1 1\n255\n\x00\x00\x00", "only PBM"),
    (b"\x93NUMPY\x01\x00\x10\x00{'descr': 'x'}\n", "not a valid NPY"),
])
def test_malformed_inputs(tmp_path: Path, content: bytes, needle: str) -> None:
    (tmp_path / "S.pbm").write_bytes(content)
    result = run("route", tmp_path / "S.pbm", SAMPLES / "T.pbm", "-k", 4, "--out", tmp_path / "r.npy")
    assert_one_line_failure(result, 2, needle)
    assert files_in(tmp_path) == {"S.pbm"}

"""OS errors while reading or writing name the file: `phase-router: error: PATH: <reason>`, and
a failed write leaves no partial output. A file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored
so the write fails with EFBIG instead of killing the process) stands in for a full disk."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.io.atomic import output_batch

resource = pytest.importorskip("resource")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
S, T = SAMPLES / "S.pbm", SAMPLES / "T.pbm"
FILE_SIZE_LIMIT = 4096  # bytes: below every output written here, above the Python start-up's needs
EFBIG_TEXT = os.strerror(errno.EFBIG)


def cli_with_file_size_limit(cwd: Path, *args: str, limit: int = FILE_SIZE_LIMIT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "phase_router", *args], capture_output=True, text=True, timeout=180,
                          cwd=cwd, preexec_fn=limited, env=env)


def _assert_named(done: subprocess.CompletedProcess, path: str, work: Path, kept: set) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"phase-router: error: {path}: {EFBIG_TEXT}\n"
    assert {p.name for p in work.iterdir()} == kept  # no output, no .partial left behind


def test_route_out_efbig_names_the_output(tmp_path: Path) -> None:
    done = cli_with_file_size_limit(tmp_path, "route", str(S), str(T), "-k", "16", "--out", "routes.npy")
    _assert_named(done, "routes.npy", tmp_path, set())


def test_route_pbm_efbig_names_that_output(tmp_path: Path) -> None:
    done = cli_with_file_size_limit(tmp_path, "route", str(S), str(T), "-k", "16", "--pbm", "routing.pbm")
    _assert_named(done, "routing.pbm", tmp_path, set())


def test_gen_efbig_names_the_output(tmp_path: Path) -> None:
    done = cli_with_file_size_limit(tmp_path, "gen", "uniform", "--shape", "512x512", "--out", "a.pbm", "b.pbm")
    assert done.returncode == 1 and EFBIG_TEXT in done.stderr
    assert done.stderr.split("error: ", 1)[1].split(":", 1)[0] in ("a.pbm", "b.pbm")
    assert list(tmp_path.iterdir()) == []


def test_capacity_out_efbig_names_the_output(tmp_path: Path) -> None:
    done = cli_with_file_size_limit(tmp_path, "capacity", str(S), str(T), "-k", "4", "--seeds", "4", "--out", "caps.csv",
                                    limit=512)  # 256 targets: about 2.5 kB of CSV
    assert done.stderr.endswith(f"phase-router: error: caps.csv: {EFBIG_TEXT}\n") and done.returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_a_staged_write_error_names_the_target_in_process(tmp_path: Path) -> None:
    """The mapping itself: an OSError from writing the staged file names the output, not the
    temporary file, and nothing is left."""
    target = tmp_path / "out.bin"
    with pytest.raises(OSError) as caught, output_batch() as batch:
        with batch.file(target) as handle:
            handle.write(b"x")
            read_only = os.open(os.devnull, os.O_RDONLY)
            os.dup2(read_only, handle.raw.fileno())  # every later write fails with EBADF
            os.close(read_only)
            handle.write(b"y" * (1 << 20))
    assert caught.value.filename == str(target) and list(tmp_path.iterdir()) == []


def test_unreadable_input_names_the_file(tmp_path: Path) -> None:
    """EACCES where the tests run unprivileged; root reads any file, so there a directory given
    as the input file (EISDIR, which root gets too) stands in."""
    result_dir = CliRunner().invoke(app, ["route", str(tmp_path), str(T), "-k", "2"])
    assert result_dir.exit_code == 2 and result_dir.stderr == f"phase-router: error: {tmp_path}: is a directory, not a file\n"
    if os.geteuid() == 0:
        return
    locked = tmp_path / "S.pbm"
    locked.write_bytes(S.read_bytes())
    locked.chmod(0)
    result = CliRunner().invoke(app, ["route", str(locked), str(T), "-k", "2"])
    assert result.exit_code == 2 and result.stderr == f"phase-router: error: {locked}: permission denied\n"


def test_missing_input_names_the_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["capacity", str(tmp_path / "none.pbm"), str(T), "-k", "2"])
    assert result.exit_code == 2 and result.stderr == f"phase-router: error: {tmp_path / 'none.pbm'}: no such file\n"

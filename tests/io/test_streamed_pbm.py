"""Class "a valid PBM through a pipe is called 'not a PBM file'": a reader looks at an
input several times (magic bytes, header, data); on a pipe the first look consumed what the next
needed. Every reader of the API copies an input that can be read only once (a pipe,
/dev/fd/N from `<(...)`, /dev/stdin on a pipe, a FIFO) for the call, and the CLI copies each once
per run. Checked for P1, P4, P4 with comments, NPY and degree files, with headers split across
pipe writes and a 4 KiB pipe buffer, as route S and T, --degrees, compare-hash, capacity and
dump-pbm inputs (a sweep config refuses file inputs that are not regular files)."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.errors import FileFormatError
from phase_router.io import (detect_format, files, load_npy, read_degrees, read_header, read_matrix, read_pbm,
                             read_pbm_packed, read_row_degrees, write_pbm)
from phase_router.io.shape import matrix_file_shape

ROOT = Path(__file__).resolve().parents[2]
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)


@pytest.fixture(scope="module")
def matrices(tmp_path_factory) -> dict[str, Path]:
    """The sample S and T as P4, P1, P4 with comments in the header, and NPY."""
    directory = tmp_path_factory.mktemp("streamed")
    made = {}
    for name in ("S", "T"):
        matrix = read_pbm(ROOT / f"samples/{name}.pbm")
        made[f"{name}-p4"] = ROOT / f"samples/{name}.pbm"
        write_pbm(directory / f"{name}-p1.pbm", matrix, plain=True)
        made[f"{name}-p1"] = directory / f"{name}-p1.pbm"
        raster = (ROOT / f"samples/{name}.pbm").read_bytes().split(b"\n", 2)[2]
        height, width = matrix.shape
        commented = directory / f"{name}-comments.pbm"
        commented.write_bytes(b"P4\n# made by a test\n# two comment lines\n" + f"{width} # width\n{height}\n".encode()
                              + raster)
        made[f"{name}-comments"] = commented
        np.save(directory / f"{name}.npy", matrix.astype(np.uint8))
        made[f"{name}-npy"] = directory / f"{name}.npy"
        np.savetxt(directory / f"{name}.txt", matrix.sum(axis=1), fmt="%d", header="degrees", comments="# ")
        made[f"{name}-txt"] = directory / f"{name}.txt"
        np.save(directory / f"{name}-degrees.npy", matrix.sum(axis=1))
        made[f"{name}-degrees-npy"] = directory / f"{name}-degrees.npy"
    return made


def _writer(fd: int, data: bytes) -> threading.Thread:
    """Write `data` to `fd` as a slow producer does: the first 40 bytes (magic and header) one
    or a few at a time with pauses, so the header arrives split across reads, then 1000-byte
    pieces; closes `fd` at the end."""

    def write() -> None:
        with os.fdopen(fd, "wb", buffering=0) as out:
            for start in range(0, min(40, len(data)), 3):
                out.write(data[start:min(start + 3, 40)])
                time.sleep(0.002)
            for start in range(40, len(data), 1000):
                out.write(data[start:start + 1000])

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def pipe_of(path: Path) -> str:
    """/dev/fd/N of a pipe with a 4 KiB buffer that a slow writer fills with the file."""
    r, w = os.pipe()
    fcntl.fcntl(w, F_SETPIPE_SZ, 4096)
    _writer(w, path.read_bytes())
    return f"/dev/fd/{r}"


def fifo_of(path: Path, directory: Path) -> str:
    fifo = directory / f"fifo-{path.name}-{time.monotonic_ns()}"
    os.mkfifo(fifo)

    def open_and_write() -> None:
        _writer(os.open(fifo, os.O_WRONLY), path.read_bytes()).join()

    threading.Thread(target=open_and_write, daemon=True).start()
    return str(fifo)


STREAMS = {"pipe": lambda path, directory: pipe_of(path), "fifo": fifo_of}


# --- the API readers -----------------------------------------------------------------------------

MATRIX_READERS = [read_row_degrees, read_matrix, matrix_file_shape, detect_format]
PBM_READERS = [read_pbm, read_pbm_packed, read_header]


@pytest.mark.parametrize("stream", sorted(STREAMS))
@pytest.mark.parametrize("kind", ["p4", "p1", "comments", "npy"])
def test_api_readers_read_a_stream_like_the_file(matrices, tmp_path: Path, kind: str, stream: str) -> None:
    """A stream reads like the file: not 'not a PBM file (starts with ...)' for a PBM, nor 'not a
    valid NPY file' for an NPY."""
    path = matrices[f"S-{kind}"]
    readers = MATRIX_READERS + (PBM_READERS if kind != "npy" else [load_npy])
    for reader in readers:
        got, want = reader(STREAMS[stream](path, tmp_path)), reader(path)
        if reader is read_row_degrees:
            np.testing.assert_array_equal(got[0], want[0])
            assert got[1] == want[1]
        elif reader is read_pbm_packed:
            np.testing.assert_array_equal(got.unpack(), want.unpack())
        elif reader is read_header:
            assert (got.kind, got.width, got.height) == (want.kind, want.width, want.height)
        elif isinstance(want, np.ndarray):
            np.testing.assert_array_equal(got, want)
        else:
            assert got == want, reader.__name__
    assert not [p for p in os.listdir(tmp_path) if not p.startswith("fifo-")]


@pytest.mark.parametrize("kind", ["txt", "degrees-npy"])
def test_api_degree_files_from_a_pipe(matrices, kind: str) -> None:
    path = matrices[f"S-{kind}"]
    np.testing.assert_array_equal(read_degrees(pipe_of(path)), read_degrees(path))


def test_a_bad_stream_is_named_not_its_copy(matrices, tmp_path: Path) -> None:
    short = tmp_path / "short.pbm"
    short.write_bytes(matrices["S-p1"].read_bytes()[:60])
    name = pipe_of(short)
    with pytest.raises(FileFormatError) as info:
        read_row_degrees(name)
    assert str(info.value).startswith(f"{name}: truncated")


# --- the CLI -------------------------------------------------------------------------------------

def run(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def _routes(result_dir: Path, name: str) -> np.ndarray:
    return np.load(result_dir / name)


@pytest.mark.parametrize("stream", sorted(STREAMS))
@pytest.mark.parametrize("kind", ["p4", "p1", "comments", "npy"])
def test_route_s_and_t_through_streams(matrices, tmp_path: Path, kind: str, stream: str) -> None:
    S, T = matrices[f"S-{kind}"], matrices[f"T-{kind}"]  # noqa: N806
    assert run("route", S, T, "-k", 8, "--out", tmp_path / "file.npy").exit_code == 0
    for which in ("S", "T", "both"):
        s_in = STREAMS[stream](S, tmp_path) if which in ("S", "both") else S
        t_in = STREAMS[stream](T, tmp_path) if which in ("T", "both") else T
        result = run("route", s_in, t_in, "-k", 8, "--out", tmp_path / "stream.npy")
        assert result.exit_code == 0, result.output
        np.testing.assert_array_equal(_routes(tmp_path, "stream.npy"), _routes(tmp_path, "file.npy"))


@pytest.mark.parametrize("kind", ["p4", "p1", "comments", "npy"])
def test_route_from_standard_input(matrices, tmp_path: Path, kind: str, monkeypatch) -> None:
    S, T = matrices[f"S-{kind}"], matrices[f"T-{kind}"]  # noqa: N806
    assert run("route", S, T, "-k", 8, "--out", tmp_path / "file.npy").exit_code == 0
    for args in (("-", T), (S, "-")):
        files._remove_stdin_copy()  # each invocation has its own stdin (and leaves no copy behind)
        monkeypatch.setattr(files, "_stdin_copy", None)
        source = S if args[0] == "-" else T
        result = run("route", *args, "-k", 8, "--out", tmp_path / "stdin.npy", input=source.read_bytes())
        assert result.exit_code == 0, result.output
        np.testing.assert_array_equal(_routes(tmp_path, "stdin.npy"), _routes(tmp_path, "file.npy"))
    files._remove_stdin_copy()


@pytest.mark.parametrize("kind", ["p4", "p1", "comments"])
def test_route_from_dev_stdin_on_a_pipe(matrices, tmp_path: Path, kind: str) -> None:
    """A real process, whose /dev/stdin is the pipe `cat S | phase-router route /dev/stdin T`."""
    S, T = matrices[f"S-{kind}"], matrices[f"T-{kind}"]  # noqa: N806
    assert run("route", S, T, "-k", 8, "--out", tmp_path / "file.npy").exit_code == 0
    script = "import sys; sys.argv = ['phase-router', *sys.argv[1:]]; from phase_router.cli import main; main()"
    producer = subprocess.Popen(["cat", str(S)], stdout=subprocess.PIPE)
    result = subprocess.run([sys.executable, "-c", script, "route", "/dev/stdin", str(T), "-k", "8", "--out",
                             str(tmp_path / "devstdin.npy")], stdin=producer.stdout, capture_output=True, text=True,
                            timeout=300)
    producer.stdout.close()
    producer.wait()
    assert result.returncode == 0, result.stderr
    np.testing.assert_array_equal(_routes(tmp_path, "devstdin.npy"), _routes(tmp_path, "file.npy"))


@pytest.mark.parametrize("kind", ["txt", "degrees-npy"])
def test_route_degrees_through_streams(matrices, tmp_path: Path, kind: str) -> None:
    s, t = matrices[f"S-{kind}"], matrices[f"T-{kind}"]
    assert run("route", "--degrees", s, t, "-k", 8, "--out", tmp_path / "file.npy").exit_code == 0
    for stream in sorted(STREAMS):
        result = run("route", "--degrees", STREAMS[stream](s, tmp_path), STREAMS[stream](t, tmp_path), "-k", 8,
                     "--out", tmp_path / "stream.npy")
        assert result.exit_code == 0, result.output
        np.testing.assert_array_equal(_routes(tmp_path, "stream.npy"), _routes(tmp_path, "file.npy"))


@pytest.mark.parametrize("kind", ["p4", "p1", "comments"])
def test_compare_capacity_and_dump_pbm_through_streams(matrices, tmp_path: Path, kind: str) -> None:
    S, T = matrices[f"S-{kind}"], matrices[f"T-{kind}"]  # noqa: N806
    commands = {
        "compare-hash": lambda s, t: ("compare-hash", s, t, "-k", 4, "--seeds", 2, "--json"),
        "capacity": lambda s, t: ("capacity", s, t, "-k", 4, "--seeds", 20, "--json"),
        "dump-pbm": lambda s, t: ("dump-pbm", s, t, "-k", 4, "--out", tmp_path / f"dump-{s == S}", "--no-png"),
    }
    for name, args in commands.items():
        from_files = run(*args(S, T))
        assert from_files.exit_code == 0, (name, from_files.output)
        from_streams = run(*args(pipe_of(S), fifo_of(T, tmp_path)))
        assert from_streams.exit_code == 0, (name, from_streams.output)
        if name == "dump-pbm":
            got, want = tmp_path / "dump-False", tmp_path / "dump-True"
            for stage in want.glob("*.pbm"):
                assert (got / stage.name).read_bytes() == stage.read_bytes(), stage.name
        else:
            assert _without_timings(json.loads(from_streams.stdout)) == _without_timings(json.loads(from_files.stdout))


def _without_timings(report):
    """compare-hash reports wall times and the input names; neither is the result."""
    if isinstance(report, dict):
        return {key: _without_timings(value) for key, value in report.items()
                if not key.startswith("ms_") and key not in ("scenario", "inputs")}
    if isinstance(report, list):
        return [_without_timings(item) for item in report]
    return report


def test_a_fifo_whose_writer_opens_it_late_is_waited_for(matrices, tmp_path: Path) -> None:
    """`mkfifo f; cat S > f & phase-router route f T`: the shell may start the writer after us.
    It is not read at once as empty ('file is empty', exit 2): a writer is given
    FIFO_WRITER_WAIT_SECONDS to open it (one that never does still reads as empty)."""
    S, T = matrices["S-p1"], matrices["T-p1"]  # noqa: N806
    fifo = tmp_path / "late"
    os.mkfifo(fifo)

    def late_writer() -> None:
        time.sleep(0.5)
        _writer(os.open(fifo, os.O_WRONLY), S.read_bytes()).join()

    threading.Thread(target=late_writer, daemon=True).start()
    result = run("route", fifo, T, "-k", 8, "--out", tmp_path / "late.npy")
    assert result.exit_code == 0, result.output
    assert run("route", S, T, "-k", 8, "--out", tmp_path / "file.npy").exit_code == 0
    np.testing.assert_array_equal(_routes(tmp_path, "late.npy"), _routes(tmp_path, "file.npy"))

"""Crash class "SIGBUS when an input shrinks while memory-mapped" and the class "a length
field in an input header larger than the file": inputs are read with ordinary reads into bounded
buffers, never through a memory map; a file that shrinks or grows while it is read is one line
(`changed while being read`, exit 2); every length in a header is checked against the file's size
before anything of that length is read or allocated."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.errors import FileFormatError
from phase_router.io import load_npy, npy_row_degrees, read_degrees, read_matrix, read_row_degrees, write_pbm
import warm_process

# Runs one phase-router command in a process of its own (tests/warm_process.py) with a hook that changes the input file the
# first time the reader hands a chunk of it to a counting kernel, or calls a C++ reader that reads
# the file chunk by chunk itself (after the header was checked, before the data is read to its
# end). A memory-mapped reader passes the same hooks, so the same test shows a map's SIGBUS (-7)
# and the one-line error of ordinary reads.
CHANGE_MID_READ = textwrap.dedent("""
    import os, sys
    import phase_router._core as core
    import phase_router.io.npy as npy
    import phase_router.io.pbm as pbm
    target, change, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    npy.CHUNK_BYTES = npy.BLOCK_BYTES = pbm.CHUNK_BYTES = 1 << 16  # many chunks, so the change lands between two
    done = []

    def change_once():
        if done:
            return
        done.append(1)
        if change == "shrink":
            os.truncate(target, os.path.getsize(target) // 2)
        elif change == "grow":
            with open(target, "ab") as grown:
                grown.write(b"0" * 65536)

    def hooked(module, name):
        real = getattr(module, name)
        def call(*args, **kwargs):
            change_once()
            return real(*args, **kwargs)
        setattr(module, name, call)

    hooked(npy, "first_non_binary")
    for name in ("dense_row_degrees", "packed_row_degrees", "p1_row_degrees_chunk", "file_row_degrees",
                 "file_bool_matrix"):
        hooked(core, name)
    sys.argv = ["phase-router", *argv]
    from phase_router.cli import main
    main()
""")


def _run_changing(target: Path, change: str, *argv) -> subprocess.CompletedProcess:
    return warm_process.run([sys.executable, "-c", CHANGE_MID_READ, target, change, *argv])


def _inputs(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    rng = np.random.default_rng(5)
    S = rng.random((2000, 300)) < 0.3  # noqa: N806 - 600 kB as uint8: about ten 64 kB chunks
    T = rng.random((300, 2000)) < 0.3  # noqa: N806
    paths = []
    for name, matrix in (("S", S), ("T", T)):
        if kind == "npy":
            path = tmp_path / f"{name}.npy"
            np.save(path, matrix.astype(np.uint8))
        elif kind == "npy-fortran":
            path = tmp_path / f"{name}.npy"
            np.save(path, np.asfortranarray(matrix.astype(np.float32)))
        else:
            path = tmp_path / f"{name}.pbm"
            write_pbm(path, matrix, plain=kind == "p1")
        paths.append(path)
    return paths[0], paths[1]


@pytest.mark.parametrize("change", ["shrink", "grow"])
@pytest.mark.parametrize("kind", ["npy", "npy-fortran", "p4", "p1"])
@pytest.mark.parametrize("command", ["route", "capacity"])
def test_an_input_changing_mid_read_is_one_line_not_sigbus(tmp_path: Path, kind: str, change: str,
                                                           command: str) -> None:
    """One 'changed while being read' line, exit 2: never a SIGBUS (-7, no message) from a
    shrinking NPY, never 'raster ended early' (P4) or 'truncated: P1 raster has N digits' (P1),
    and a growing file is never read as if nothing happened (a mix of old and new content is not
    the file as it was or is)."""
    S, T = _inputs(tmp_path, kind)
    if command == "route" and change == "shrink":  # control: the hooks alone change nothing
        hooked = _run_changing(S, "none", "route", S, T, "-k", 4, "--out", tmp_path / "hooked.npy")
        assert hooked.returncode == 0, hooked.stderr
        plain = CliRunner().invoke(app, ["route", str(S), str(T), "-k", "4", "--out", str(tmp_path / "plain.npy")])
        assert plain.exit_code == 0, plain.output
        np.testing.assert_array_equal(np.load(tmp_path / "hooked.npy"), np.load(tmp_path / "plain.npy"))
    extra = ["-k", 4] if command == "route" else ["-k", 4, "--seeds", 2]
    result = _run_changing(S, change, command, S, T, *extra)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{S}: changed while being read" in lines[0], lines[0]


@pytest.mark.parametrize("kind", ["npy", "p4", "p1"])
@pytest.mark.parametrize("change", ["shrink", "grow"])
def test_the_api_raises_file_format_error(tmp_path: Path, kind: str, change: str) -> None:
    """The same through the API, in a subprocess (a SIGBUS would be -7): FileFormatError, not a
    ValueError from NumPy's reshape of a shrunk P4 read whole (a traceback in the CLI)."""
    S, _ = _inputs(tmp_path, kind)
    script = CHANGE_MID_READ.replace("from phase_router.cli import main\nmain()", textwrap.dedent("""
        from phase_router.errors import FileFormatError
        from phase_router.io import read_matrix, read_row_degrees
        real_header = pbm.read_header

        def header_then_change(path):  # whole-raster reads pass no counting kernel: change after the header
            header = real_header(path)
            change_once()
            return header

        pbm.read_header = header_then_change
        for reader in (read_row_degrees, read_matrix):
            done.clear()
            data = open(target + ".orig", "rb").read()
            open(target, "wb").write(data)
            try:
                reader(target)
            except FileFormatError as exc:
                assert "changed while being read" in str(exc), str(exc)
            else:
                raise SystemExit(f"{reader.__name__}: no error")
        print("ok")
    """))
    (tmp_path / f"{S.name}.orig").write_bytes(S.read_bytes())
    result = warm_process.run([sys.executable, "-c", script, S, change])
    assert result.returncode == 0 and result.stdout.strip() == "ok", (result.returncode, result.stderr[-2000:])


# --- lengths in headers against the file size ---------------------------------------------------

def _npy_claiming(version: int, header_length: int) -> bytes:
    field = struct.pack("<H", header_length) if version == 1 else struct.pack("<I", header_length)
    return b"\x93NUMPY" + bytes([version, 0]) + field + b"{'descr'"


CLAIMS = {
    "npy-v2-4GiB-header": _npy_claiming(2, 2**32 - 1),  # the 20-byte file
    "npy-v2-64MiB-header": _npy_claiming(2, 64 * 2**20),
    "npy-v1-64KiB-header": _npy_claiming(1, 65535),
    "npy-v3-4GiB-header": _npy_claiming(3, 2**32 - 1),
    "pbm-p4-huge": b"P4\n2147483647 2147483647\n" + b"\0" * 64,
    "pbm-p1-huge": b"P1\n2147483647 2147483647\n" + b"0 1 " * 16,
}

LIMITED = textwrap.dedent("""
    import resource, sys
    limit = 3 * 2**30  # address space: a 4 GiB read buffer cannot be allocated
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.argv = ["phase-router", *sys.argv[1:]]
    from phase_router.cli import main
    main()
""")


@pytest.mark.parametrize(("claim", "as_what"), [(claim, "matrix") for claim in sorted(CLAIMS)]
                         + [(claim, "degrees") for claim in sorted(CLAIMS) if claim.startswith("npy")])
def test_header_lengths_are_checked_against_the_file_size(tmp_path: Path, claim: str, as_what: str) -> None:
    """Refused from the header, exit 2, before NumPy's reader could read the 4 GiB header with
    one read() of that size (MemoryError under an address-space limit: 'out of memory', exit 1)."""
    path = tmp_path / ("bad.npy" if claim.startswith("npy") else "bad.pbm")
    path.write_bytes(CLAIMS[claim])
    argv = ["route", path, path, "-k", 2] if as_what == "matrix" else ["route", "--degrees", path, path, "-k", 2]
    result = warm_process.run([sys.executable, "-c", LIMITED, *argv], timeout=120)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"phase-router: error: {path}: "), result.stderr
    assert ("header length says" in lines[0] or "unsupported NPY version 3.0" in lines[0]
            or "truncated: header says" in lines[0]), lines[0]


@pytest.mark.parametrize("claim", sorted(CLAIMS))
def test_header_lengths_api_allocates_nothing(tmp_path: Path, claim: str) -> None:
    matrix = np.eye(5, dtype=np.uint8)  # valid headers of both versions still read
    for version in ((1, 0), (2, 0)):
        valid = tmp_path / f"v{version[0]}.npy"
        with open(valid, "wb") as out:
            np.lib.format.write_array(out, matrix, version=version)
        np.testing.assert_array_equal(read_matrix(valid), matrix.astype(bool))
        np.testing.assert_array_equal(npy_row_degrees(valid)[0], np.ones(5))
    path = tmp_path / ("bad.npy" if claim.startswith("npy") else "bad.pbm")
    path.write_bytes(CLAIMS[claim])
    readers = [read_row_degrees, read_matrix] + ([load_npy, read_degrees] if claim.startswith("npy") else [])
    for reader in readers:
        tracemalloc.start()
        try:
            with pytest.raises(FileFormatError):
                reader(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 2**20, (reader.__name__, peak)

"""Strategies, row ranges, adaptive checkpoints, chunked output, degree files, Dask.
None of these may change a single routed bit."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from degree_cases import Case, make_degrees, routing_cases
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import phase_router as pr
from phase_router import _core, io, reference
from phase_router.cli import app
from phase_router.routing import shards
from phase_router.routing.router import STRATEGIES

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def oracle(case: Case) -> np.ndarray:
    return reference.route_degrees(case.s, case.t, case.k, case.seed, case.row_perm)


def core_router(case: Case, strategy: str, budget: int = 0):
    return _core.Router(case.s.astype(np.uint32), case.t.astype(np.uint32), case.k, case.seed, case.row_perm,
                        STRATEGIES[strategy], budget)


@st.composite
def extreme_cases(draw) -> Case:
    """Degrees from {0, 1, E} and {0, M} (empty, single-bit, full arcs) and arcs that wrap."""
    M, E = draw(st.integers(1, 150)), draw(st.integers(1, 150))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    s = rng.choice(np.array([0, 1, E, max(1, E - 1), E // 2 + 1]), M)
    t = rng.choice(np.array([0, M, 1, max(1, M // 3)]), E)
    return Case(s, t, draw(st.integers(1, E + 2)), draw(st.integers(0, 2**64 - 1)), draw(st.booleans()))


@given(st.one_of(routing_cases(max_dim=200), extreme_cases()), st.sampled_from(["dense", "sparse", "auto"]))
def test_every_strategy_equals_the_reference(case: Case, strategy: str) -> None:
    assert core_router(case, strategy).route_rows(0, case.M).tobytes() == oracle(case).tobytes()


@given(routing_cases(max_dim=200), st.data())
def test_row_ranges_equal_slices_of_the_full_routing(case: Case, data) -> None:
    full = oracle(case)
    start = data.draw(st.integers(0, case.M))
    stop = data.draw(st.integers(start, case.M))
    strategy = data.draw(st.sampled_from(["dense", "sparse", "auto"]))
    part = core_router(case, strategy).route_rows(start, stop)
    assert part.shape == (stop - start, case.k)
    assert part.tobytes() == full[start:stop].tobytes()


@pytest.mark.parametrize("budget", [64, 300, 1000])
def test_coarse_checkpoint_strides_give_the_same_routes(budget: int) -> None:
    rng = np.random.default_rng(budget)
    case = Case(rng.integers(0, 901, 120), rng.integers(0, 121, 900), 30, 77, False)
    router = core_router(case, "dense", budget)
    assert router.checkpoint_stride > 64  # the small budget forced a coarser stride
    assert router.route_rows(0, case.M).tobytes() == oracle(case).tobytes()


def test_auto_picks_sparse_for_short_rows_and_dense_for_long_ones() -> None:
    E = 1 << 16
    s = np.array([1, 4, 16, E // 2, E, 0])
    t = np.full(E, 3)
    router = pr.Router(s, t, 4, strategy="auto")
    assert router.sparse_rows == 3  # degrees 1, 4 and 16 of E = 65536: O(s) beats O(E/64)
    assert pr.Router(s, t, 4, strategy="dense").sparse_rows == 0
    assert pr.Router(s, t, 4, strategy="sparse").sparse_rows == 5  # every non-empty row


def test_chunks_concatenate_to_the_full_routing() -> None:
    rng = np.random.default_rng(3)
    router = pr.Router(rng.integers(0, 81, 500), rng.integers(0, 501, 80), 6, seed=4)
    chunks = list(router.chunks(37))
    assert [first for first, _ in chunks] == list(range(0, 500, 37))
    assert np.array_equal(np.concatenate([c for _, c in chunks]), router.route_rows())


def test_route_rows_option_and_its_stats() -> None:
    rng = np.random.default_rng(4)
    s, t = rng.integers(0, 61, 300), rng.integers(0, 301, 60)
    full = pr.route_degrees(s, t, 5, seed=2)
    part = pr.route_degrees(s, t, 5, seed=2, rows=(100, 180))
    assert np.array_equal(part.routes, full.routes[100:180])
    assert part.stats.M == 80 and part.stats.row_range == [100, 180]
    assert part.stats.active_routes == int((full.routes[100:180] >= 0).sum())
    # The theory's M is the whole ring: expected candidates of the slice use M = 300.
    assert part.stats.expected_candidates_per_row == pytest.approx(s[100:180].mean() * t.sum() / (300 * 60))


@pytest.mark.parametrize(("rows", "needle"), [((5, 3), "rows stop"), ((0, 301), "rows stop"), ((-1, 3), "rows start"),
                                              ((1,), "pair"), ("0:3", "pair")])
def test_bad_row_ranges_are_refused(rows, needle: str) -> None:
    with pytest.raises(pr.InvalidInputError, match=needle):
        pr.route_degrees(np.ones(300, int), np.ones(60, int), 2, rows=rows)


def test_bad_strategy_is_refused() -> None:
    with pytest.raises(pr.InvalidInputError, match="strategy must be one of"):
        pr.route_degrees([1], [1], 1, strategy="fast")


# ----- CLI: degree files, chunked output, Dask -----

def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def sample_degrees(tmp_path: Path) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    s, _ = io.read_row_degrees(SAMPLES / "S.pbm")
    t, _ = io.read_row_degrees(SAMPLES / "T.pbm")
    s_path, t_path = tmp_path / "s.npy", tmp_path / "t.txt"
    np.save(s_path, s.astype(np.int64))
    t_path.write_text("# target degrees\n" + "\n".join(str(int(x)) for x in t) + "\n")
    return s_path, t_path, s, t


def test_degree_files_equal_matrix_files(tmp_path: Path) -> None:
    s_path, t_path, _, _ = sample_degrees(tmp_path)
    a, b = tmp_path / "a.npy", tmp_path / "b.npy"
    assert run("route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 16, "--seed", 9, "--out", a).exit_code == 0
    result = run("route", "--degrees", s_path, t_path, "-k", 16, "--seed", 9, "--out", b, "--json")
    assert result.exit_code == 0, result.output
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(result.stdout)["inputs"] == {"s (degrees)": str(s_path), "t (degrees)": str(t_path)}


@pytest.mark.parametrize("strategy", ["dense", "sparse", "auto"])
def test_chunked_outputs_equal_in_memory_routes(tmp_path: Path, strategy: str) -> None:
    s_path, t_path, s, t = sample_degrees(tmp_path)
    expected = pr.route_degrees(s, t, 16, seed=5).routes
    out, csv, pbm = tmp_path / "r.npy", tmp_path / "r.csv", tmp_path / "O.pbm"
    result = run("route", "--degrees", s_path, t_path, "-k", 16, "--seed", 5, "--strategy", strategy,
                 "--chunk-rows", 7, "--out", out, "--pbm", pbm)
    assert result.exit_code == 0, result.output
    assert np.array_equal(np.load(out), expected)
    assert run("route", "--degrees", s_path, t_path, "-k", 16, "--seed", 5, "--chunk-rows", 13, "--out", csv).exit_code == 0
    assert np.array_equal(np.loadtxt(csv, delimiter=",", dtype=np.int64), expected)
    O = io.read_pbm(pbm)  # noqa: N806
    assert np.array_equal(O, io.routing_matrix(expected, 256).unpack())


def test_dask_local_cluster_writes_the_same_file(tmp_path: Path) -> None:
    import dask.distributed  # noqa: F401 - the [test] extra installs it; missing means a failure, not a skip
    s_path, t_path, _, _ = sample_degrees(tmp_path)
    local, remote = tmp_path / "local.npy", tmp_path / "dask.npy"
    assert run("route", "--degrees", s_path, t_path, "-k", 32, "--seed", 1, "--row-perm", "--out", local).exit_code == 0
    result = run("route", "--degrees", s_path, t_path, "-k", 32, "--seed", 1, "--row-perm", "--out", remote,
                 "--workers", 2, "--chunk-rows", 40, "--json")
    assert result.exit_code == 0, result.output
    assert local.read_bytes() == remote.read_bytes()
    assert json.loads(result.stdout)["execution"]["executor"] == "dask (local cluster, 2 workers)"


def test_dask_local_cluster_is_quiet_beside_another_cluster(tmp_path: Path) -> None:
    """Another Dask cluster on the machine holds the dashboard's default port, 8787: the local
    cluster takes another port without a warning on stderr (and, as ever, says nothing else
    there either: no worker's or the scheduler's log when the route ends)."""
    pytest.importorskip("distributed")
    s_path, t_path, _, _ = sample_degrees(tmp_path)
    with socket.socket() as taken:
        with contextlib.suppress(OSError):  # in use already: as good
            taken.bind(("", 8787))
            taken.listen()
        done = subprocess.run([str(Path(sys.executable).parent / "phase-router"), "route", "--degrees", str(s_path),
                               str(t_path), "-k", "8", "--workers", "2", "--out", str(tmp_path / "r.npy"), "--json"],
                              capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def _local_worker_pids() -> list[int]:
    """This process's local Dask worker processes (dask_client starts them as its children)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == os.getpid() and b"dask_workers" in command:
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_a_local_worker_that_dies_is_replaced() -> None:
    """A worker process killed from outside (the OOM killer, a crash in a kernel) is replaced, as
    a Dask nanny would: the shards go on instead of waiting forever for a worker."""
    pytest.importorskip("distributed")
    with shards.dask_client(workers=1) as client:
        assert client.submit(sum, [1, 2], pure=False).result() == 3
        [pid] = _local_worker_pids()
        os.kill(pid, signal.SIGKILL)
        assert client.submit(sum, [3, 4], pure=False).result(timeout=120) == 7
        assert _local_worker_pids() != [pid]
    assert _local_worker_pids() == []  # and ended with the cluster


KILLED_WITH_WORKERS = """
import contextlib, os
from pathlib import Path
from phase_router.routing.shards import dask_client
with dask_client(workers=2) as client:
    assert client.submit(sum, [1, 2], pure=False).result() == 3
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):  # a process that ended meanwhile
            text = stat.read_text()
            if int(text[text.rindex(")") + 2:].split()[1]) == os.getpid():
                print(stat.parent.name, flush=True)
    os._exit(0)  # as if killed: nothing of dask_client's own clean-up runs
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the worker processes")
def test_local_workers_end_with_a_killed_parent(tmp_path: Path) -> None:
    """A command killed outright (SIGKILL, the OOM killer) cannot end its workers: they see it
    gone and end rather than route on for minutes."""
    pytest.importorskip("distributed")
    done = subprocess.run([sys.executable, "-c", KILLED_WITH_WORKERS], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    workers = [int(pid) for pid in done.stdout.split()]
    assert len(workers) == 2, done.stdout
    deadline = time.monotonic() + 60
    while any(_running(pid) for pid in workers):
        assert time.monotonic() < deadline, f"a worker never ended: {workers}"
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether the process exists and has not ended (a zombie waits only for its reaper)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2:].split()[0] != "Z"


def test_unreachable_scheduler_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(shards, "SCHEDULER_CONNECT_TIMEOUT", "0.5s")  # the same refusal, sooner
    s_path, t_path, _, _ = sample_degrees(tmp_path)
    out = tmp_path / "r.npy"
    result = run("route", "--degrees", s_path, t_path, "-k", 4, "--scheduler", "tcp://127.0.0.1:9", "--out", out)
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("3\n4\nfive\n", "line 3: 'five' is not a non-negative integer"),
        ("3\n-4\n", "line 2: degree -4 is negative"),
        ("# nothing\n\n", "no degrees found (expected one integer per line)"),
        ("3\n1.5\n", "line 2: '1.5' is not a non-negative integer"),
    ],
)
def test_degree_file_errors(tmp_path: Path, content: str, needle: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(content)
    good = tmp_path / "good.txt"
    good.write_text("1\n1\n1\n")
    result = run("route", "--degrees", bad, good, "-k", 1)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"phase-router: error: {bad}: {needle}"


def test_degree_bounds_and_npy_degree_errors(tmp_path: Path) -> None:
    s = tmp_path / "s.txt"
    s.write_text("5\n1\n")  # M = 2 sources, so E = len(t) = 3 < 5
    t = tmp_path / "t.txt"
    t.write_text("1\n2\n0\n")
    result = run("route", "--degrees", s, t, "-k", 1)
    assert result.exit_code == 2 and "s[0] = 5 exceeds E = len(t) = 3" in result.stderr
    two_d = tmp_path / "d.npy"
    np.save(two_d, np.ones((2, 2), dtype=np.int64))
    result = run("route", "--degrees", two_d, t, "-k", 1)
    assert result.exit_code == 2 and "expected a 1-D vector of degrees" in result.stderr
    floats = tmp_path / "f.npy"
    np.save(floats, np.ones(3))
    result = run("route", "--degrees", floats, t, "-k", 1)
    assert result.exit_code == 2 and "degrees must be integers, got dtype float64" in result.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--degrees", "a.txt", "b.txt", str(SAMPLES / "S.pbm")], "not both"),
        ([str(SAMPLES / "S.pbm")], "give two matrix files S T"),
        ([str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "--workers", "2", "--scheduler", "tcp://x:1"], "not both"),
    ],
)
def test_input_mode_errors(args, needle: str) -> None:
    result = run("route", *args, "-k", 2)
    assert result.exit_code == 2
    assert needle in result.stderr


def test_make_degrees_helper_covers_the_extremes() -> None:
    rng = np.random.default_rng(0)
    assert set(make_degrees("extremes", 200, 9, rng)) <= {0, 1, 9}


def test_missing_dask_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    """Without the [distributed] extra, --workers says how to install it (exit 2, nothing written)."""
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    s_path, t_path, _, _ = sample_degrees(tmp_path)
    out = tmp_path / "r.npy"
    result = run("route", "--degrees", s_path, t_path, "-k", 4, "--workers", 2, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == ("phase-router: error: distributed routing needs Dask: "
                                     "pip install 'phase-router[distributed]'")
    assert not out.exists()

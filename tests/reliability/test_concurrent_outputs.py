"""Data loss class "two runs on the same output paths leave the routes of one next to
the stats of the other": a commit holds exclusive flocks on its output directories around all its
renames, so concurrent runs' sets never interleave and the files on disk are always one run's
complete set (the last to commit); a sweep holds its --out directory for its whole run, so a
second sweep into it is refused (one line, exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import phase_router as pr
from phase_router.cli import app
from phase_router.io import atomic, read_pbm, routing_matrix

ROOT = Path(__file__).resolve().parents[2]
S_PBM, T_PBM = ROOT / "samples/S.pbm", ROOT / "samples/T.pbm"

# One `phase-router route` in a fresh process, with os.replace wrapped (os.replace is what every
# version of the commit renames with): `pause` seconds after each rename but the last; `paused`
# is created at the first pause. With `wait_for`, the commit does not start before that file exists.
ROUTE = textwrap.dedent("""
    import os, sys, time
    from phase_router.io.atomic import OutputBatch
    pause, paused, wait_for, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    real_replace, real_commit = os.replace, OutputBatch.commit
    renamed = []

    def replace(src, dst, *args, **kwargs):
        if str(src).endswith(".partial"):
            if renamed and pause:
                if paused != "-" and not os.path.exists(paused):
                    open(paused, "w").close()
                time.sleep(pause)
            renamed.append(dst)
        return real_replace(src, dst, *args, **kwargs)

    def commit(self):  # before the commit starts (and before it takes any lock)
        deadline = time.monotonic() + 240
        if wait_for.startswith("barrier:"):  # barrier:DIR:N - all N runs commit at the same moment
            _, directory, count = wait_for.split(":")
            open(os.path.join(directory, f"ready-{os.getpid()}"), "w").close()
            while len(os.listdir(directory)) < int(count) and time.monotonic() < deadline:
                time.sleep(0.005)
        while wait_for != "-" and not wait_for.startswith("barrier:") and not os.path.exists(wait_for) \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        return real_commit(self)

    os.replace = replace
    OutputBatch.commit = commit
    sys.argv = ["phase-router", *argv]
    from phase_router.cli import main
    main()
""")


def _route(tmp_path: Path, seed: int, *, pause: float = 0.0, paused: str = "-", wait_for: str = "-"):
    argv = ["route", S_PBM, T_PBM, "-k", 4, "--seed", seed, "--out", tmp_path / "routes.npy",
            "--stats", tmp_path / "stats.json", "--pbm", tmp_path / "routing.pbm"]
    return subprocess.Popen([sys.executable, "-c", ROUTE, str(pause), paused, wait_for, *map(str, argv)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _one_runs_set(tmp_path: Path) -> int:
    """The seed whose run wrote the stats; the routes and the routing matrix must be that run's."""
    seed = json.loads((tmp_path / "stats.json").read_text())["stats"]["seed"]
    want = pr.route(read_pbm(S_PBM), read_pbm(T_PBM), 4, seed=seed).routes
    routes = np.load(tmp_path / "routes.npy")
    assert np.array_equal(routes, want), f"routes.npy is not the routes of seed {seed}, whose stats.json is there"
    matrix = read_pbm(tmp_path / "routing.pbm")
    assert np.array_equal(matrix, routing_matrix(want, matrix.shape[1]).unpack()), \
        f"routing.pbm is not the routing of seed {seed}"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]
    return seed


def _finish(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err


def test_a_commit_in_the_middle_of_another_never_mixes_them(tmp_path: Path) -> None:
    """Deterministic: run A pauses 1.5 s after its first rename; run B renames all of its files
    during that pause. Without ordering, routes.npy would be B's and stats.json and routing.pbm
    A's; B waits for A's commit and then replaces A's whole set."""
    paused = tmp_path / "a-paused"
    a = _route(tmp_path, 1, pause=1.5, paused=str(paused))
    b = _route(tmp_path, 2, wait_for=str(paused))
    _finish(a)
    _finish(b)
    assert _one_runs_set(tmp_path) == 2  # B started its commit last, so the set is B's


def test_many_runs_racing_leave_one_runs_set(tmp_path: Path) -> None:
    """Six processes with different seeds race on the same three outputs: they start their
    commits together (a barrier) and pause 0.2 s between renames, so their renames interleave
    unless something orders the commits, leaving a mixed set (routes of one seed, stats of
    another)."""
    out = tmp_path / "out"
    out.mkdir()
    for round_ in range(2):
        barrier = tmp_path / f"barrier-{round_}"
        barrier.mkdir()
        runs = [_route(out, seed, pause=0.2, wait_for=f"barrier:{barrier}:6") for seed in range(10, 16)]
        for run in runs:
            _finish(run)
        assert _one_runs_set(out) in range(10, 16)


def test_threads_of_one_process_commit_one_at_a_time(tmp_path: Path, monkeypatch) -> None:
    """The same inside one process (a service writing from several threads)."""
    monkeypatch.setattr(atomic, "_pause_between_renames", lambda: time.sleep(0.02))
    names = [tmp_path / f"{i}.txt" for i in range(4)]

    def write(tag: str) -> None:
        for _ in range(5):
            with atomic.output_batch() as batch:
                for name in names:
                    with batch.file(name) as handle:
                        handle.write(tag.encode())

    threads = [threading.Thread(target=write, args=(str(t),)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({name.read_text() for name in names}) == 1


def test_a_commit_waits_for_a_held_directory_then_gives_up_cleanly(tmp_path: Path, monkeypatch) -> None:
    """A commit into a directory another process holds (a running sweep) waits, and after
    COMMIT_WAIT_SECONDS fails with one OSError naming the directory, writing nothing."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from phase_router.io.atomic import hold_directory
        with hold_directory(sys.argv[1]):
            print("held", flush=True)
            time.sleep(float(sys.argv[2]))
    """), str(tmp_path), "2"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    monkeypatch.setattr(atomic, "COMMIT_WAIT_SECONDS", 0.3)
    with pytest.raises(OSError, match="another phase-router run") as info:
        with atomic.atomic_output(tmp_path / "x.txt") as handle:
            handle.write(b"x")
    assert info.value.filename == str(tmp_path)
    assert os.listdir(tmp_path) == []
    monkeypatch.setattr(atomic, "COMMIT_WAIT_SECONDS", 60.0)
    with atomic.atomic_output(tmp_path / "x.txt") as handle:  # waits for the holder to end
        handle.write(b"x")
    assert (tmp_path / "x.txt").read_bytes() == b"x"
    holder.wait(timeout=60)


SLOW_SWEEP = textwrap.dedent("""
    import os, sys, time
    import phase_router.sweep.runner as runner
    started, release, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    real = runner.run_sweep

    def slow(*args, **kwargs):
        # holds the --out directory until the test says so (by creating `release`), however long
        # the other process takes to start on a busy machine
        open(started, "w").close()
        deadline = time.monotonic() + 120
        while not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.02)
        return real(*args, **kwargs)

    runner.run_sweep = slow
    sys.argv = ["phase-router", *argv]
    from phase_router.cli import main
    main()
""")


def test_a_second_sweep_into_the_same_out_is_refused(tmp_path: Path) -> None:
    """Two sweeps into one directory would append to one journal and rewrite each other's
    results: the second is refused at once, and the first completes normally."""
    config = tmp_path / "c.yaml"
    config.write_text("shapes: [{N: 16}, {N: 32}]\nk: [2]\ninputs: [{generator: uniform}]\n")
    out, started, release = tmp_path / "out", tmp_path / "started", tmp_path / "release"
    first = subprocess.Popen([sys.executable, "-c", SLOW_SWEEP, str(started), str(release), "sweep", str(config),
                              "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:  # the second would go ahead at once if it were let in (its `release` exists)
        second = subprocess.run([sys.executable, "-c", SLOW_SWEEP, str(tmp_path / "second-started"), str(config),
                                 "sweep", str(config), "--out", str(out), "--resume"],
                                capture_output=True, text=True, timeout=120)
    finally:
        release.touch()
    assert second.returncode == 2, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another run is writing to this --out directory" in lines[0], second.stderr
    assert not (tmp_path / "second-started").exists()  # refused before any work
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    records = json.loads((out / "results.json").read_text())["records"]
    assert len(records) == 2 and (out / "journal.jsonl").read_text().count('"cell_id"') == 2  # once each
    # The hold ends with the sweep and leaves no lock file: a later --resume is accepted.
    before = sorted(os.listdir(out))
    later = CliRunner().invoke(app, ["sweep", str(config), "--out", str(out), "--resume"])
    assert later.exit_code == 0, later.output
    assert sorted(os.listdir(out)) == before

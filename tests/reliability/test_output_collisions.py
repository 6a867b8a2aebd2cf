"""Data loss class "outputs that collide": an output naming the same file as an input or
as another output is refused before any work (one line, exit 2), whatever the spelling — the
same path, a relative one, a symlink or a hard link — in every command that writes files."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.cli import app

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def inputs(tmp_path: Path):
    shutil.copy(ROOT / "samples/rect_S.npy", tmp_path / "S.npy")
    shutil.copy(ROOT / "samples/rect_T.npy", tmp_path / "T.npy")
    return tmp_path / "S.npy", tmp_path / "T.npy"


def _refused(result, needle: str = "names the same file") -> None:
    assert result.exit_code == 2, result.output
    assert needle in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("spelling", ["same", "relative", "symlink", "hardlink"])
def test_route_output_over_an_input_is_refused(inputs, tmp_path: Path, spelling: str, monkeypatch) -> None:
    S, T = inputs
    before = S.read_bytes()
    target = {"same": S, "relative": Path(os.path.relpath(S)), "symlink": tmp_path / "link.npy",
              "hardlink": tmp_path / "hard.npy"}[spelling]
    if spelling == "symlink":
        target.symlink_to(S)
    if spelling == "hardlink":
        os.link(S, target)
    _refused(run("route", S, T, "-k", 2, "--out", target))
    assert S.read_bytes() == before  # the input is untouched


@pytest.mark.parametrize(("first", "second"), [("--out", "--stats"), ("--out", "--pbm"), ("--stats", "--pbm")])
def test_route_outputs_that_collide_are_refused(inputs, tmp_path: Path, first: str, second: str) -> None:
    S, T = inputs
    name = tmp_path / ("x.npy" if first == "--out" else "x.json")
    _refused(run("route", S, T, "-k", 2, first, name, second, name))
    assert not name.exists()  # nothing was written


def test_route_degree_files_are_inputs_too(tmp_path: Path) -> None:
    np.save(tmp_path / "s.npy", np.full(20, 3))
    np.save(tmp_path / "t.npy", np.full(10, 6))
    _refused(run("route", "--degrees", tmp_path / "s.npy", tmp_path / "t.npy", "-k", 2, "--stats", tmp_path / "t.npy"))


def test_gen_outputs_must_differ(tmp_path: Path) -> None:
    _refused(run("gen", "uniform", "--shape", "8", "--out", tmp_path / "a.pbm", tmp_path / "a.pbm"))
    assert not (tmp_path / "a.pbm").exists()


def test_compare_csv_over_an_input(inputs) -> None:
    S, T = inputs
    _refused(run("compare-hash", S, T, "-k", 2, "--seeds", 2, "--csv", T))


def test_sweep_reports_over_the_config(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("shapes: [{N: 16}]\nk: [2]\ninputs: [{generator: uniform}]\n")
    before = config.read_text()
    _refused(run("sweep", config, "--out", tmp_path / "out", "--junit", config))
    assert config.read_text() == before


def test_distinct_outputs_still_work(inputs, tmp_path: Path) -> None:
    S, T = inputs
    result = run("route", S, T, "-k", 2, "--out", tmp_path / "r.npy", "--stats", tmp_path / "r.json",
                 "--pbm", tmp_path / "r.pbm")
    assert result.exit_code == 0, result.output
    assert all((tmp_path / f"r.{ext}").exists() for ext in ("npy", "json", "pbm"))


@pytest.mark.parametrize("kind", ["fifo", "char-device"])
def test_special_files_are_refused_not_replaced(inputs, tmp_path: Path, kind: str) -> None:
    """Special files are never replaced by the atomic rename: a FIFO or a device
    as an output is refused before any work and stays what it was (never /dev/null itself here:
    a node made for the test stands in for it)."""
    S, T = inputs
    node = tmp_path / "node"
    if kind == "fifo":
        os.mkfifo(node)
    else:
        if os.geteuid() != 0:
            pytest.fail("creating a character device needs root, which CI has")
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    is_special = (lambda p: stat.S_ISFIFO(os.stat(p).st_mode)) if kind == "fifo" else (
        lambda p: stat.S_ISCHR(os.stat(p).st_mode))
    for option in ("--stats", "--pbm"):  # --out also needs a .npy/.csv name, checked first
        _refused(run("route", S, T, "-k", 2, option, node), "not a regular file")
        assert is_special(node)
    fifo_npy = tmp_path / "routes.npy"
    os.mkfifo(fifo_npy)
    _refused(run("route", S, T, "-k", 2, "--out", fifo_npy), "not a regular file")
    assert stat.S_ISFIFO(os.stat(fifo_npy).st_mode)


def test_a_replaced_output_keeps_its_mode(inputs, tmp_path: Path) -> None:
    """Replacing an existing output must not widen its mode (0600 stays 0600)."""
    S, T = inputs
    out = tmp_path / "private.json"
    out.write_text("{}")
    os.chmod(out, 0o600)
    result = run("route", S, T, "-k", 2, "--stats", out)
    assert result.exit_code == 0, result.output
    assert (os.stat(out).st_mode & 0o777) == 0o600 and out.read_text() != "{}"

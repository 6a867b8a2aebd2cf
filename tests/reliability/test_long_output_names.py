"""Class "a valid output name fails because of its temporary name": outputs are staged
as `.NAME.XXXXXXXX.partial` beside their targets, 18 bytes longer than NAME, so a plain staged
name for any NAME over 237 bytes would fail with 'File name too long' although NAME itself is
valid. The staged name never exceeds NAME_MAX (255 bytes), for every command and every output
kind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.io.atomic import NAME_MAX, STAGED_SUFFIX, output_batch, staged_prefix

ROOT = Path(__file__).resolve().parents[2]
LENGTHS = [240, 245, 250, 255]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def named(directory: Path, length: int, ext: str = "", fill: str = "n") -> Path:
    """A file name of exactly `length` bytes ending in `ext`."""
    stem = (fill * length)[: length - len(ext.encode())]
    path = directory / (stem + ext)
    assert len(os.fsencode(path.name)) == length
    return path


def _ok(result) -> None:
    assert result.exit_code == 0, result.output


def _no_partials(directory: Path) -> None:
    assert not [p for p in os.listdir(directory) if p.endswith(STAGED_SUFFIX)]


@pytest.mark.parametrize("length", LENGTHS)
def test_route_outputs(tmp_path: Path, length: int) -> None:
    out, stats, pbm = named(tmp_path, length, ".npy"), named(tmp_path, length, ".json", "s"), named(
        tmp_path, length, ".pbm", "p")
    _ok(run("route", ROOT / "samples/S.pbm", ROOT / "samples/T.pbm", "-k", 4, "--out", out, "--stats", stats,
            "--pbm", pbm))
    assert np.load(out).shape[1] == 4 and stats.read_text().startswith("{") and pbm.read_bytes()[:2] == b"P4"
    csv = named(tmp_path, length, ".csv", "c")
    _ok(run("route", ROOT / "samples/S.pbm", ROOT / "samples/T.pbm", "-k", 4, "--out", csv))
    assert csv.read_text().count("\n") == np.load(out).shape[0]
    _no_partials(tmp_path)


@pytest.mark.parametrize("length", LENGTHS)
def test_gen_and_compare_hash_outputs(tmp_path: Path, length: int) -> None:
    S, T = named(tmp_path, length, ".pbm", "S"), named(tmp_path, length, ".npy", "T")  # noqa: N806
    _ok(run("gen", "uniform", "--shape", "16x8", "--out", S, T))
    assert S.read_bytes()[:2] == b"P4" and np.load(T).shape == (8, 16)
    csv = named(tmp_path, length, ".csv", "c")
    _ok(run("compare-hash", S, T, "-k", 2, "--seeds", 2, "--csv", csv))
    assert csv.read_text().startswith("scenario,")
    _no_partials(tmp_path)


def test_sweep_reports_plot_and_dump_pbm(tmp_path: Path) -> None:
    """Sweep --junit / --markdown / --record-golden and its --out directory, plot into that
    directory and dump-pbm into a directory, all with 255-byte names."""
    config = tmp_path / "c.yaml"
    config.write_text("shapes: [{N: 16}]\nk: [2]\ninputs: [{generator: uniform}]\n")
    out = named(tmp_path, NAME_MAX, "", "d")
    junit, markdown, golden = (named(tmp_path, NAME_MAX, ext, fill) for ext, fill in
                               ((".xml", "j"), (".md", "m"), (".json", "g")))
    _ok(run("sweep", config, "--out", out, "--junit", junit, "--markdown", markdown, "--record-golden", golden))
    assert junit.read_text().startswith("<?xml") and markdown.exists() and golden.exists()
    _ok(run("plot", out))
    assert any(name.endswith(".png") for name in os.listdir(out))
    dump = named(tmp_path, NAME_MAX, "", "u")
    _ok(run("dump-pbm", ROOT / "samples/S.pbm", ROOT / "samples/T.pbm", "-k", 2, "--out", dump, "--no-png"))
    assert (dump / "index.md").exists()
    for directory in (tmp_path, out, dump):
        _no_partials(directory)


@pytest.mark.parametrize("fill", ["a", "é", "🙂", "\udcff"], ids=["ascii", "2-byte", "4-byte", "undecodable"])
def test_staged_names_never_exceed_name_max(tmp_path: Path, fill: str) -> None:
    """Every name length up to NAME_MAX, with multi-byte characters (a cut never splits one) and
    a name that is not UTF-8: the staged name fits, and each batch commits to the right file."""
    for length in range(1, NAME_MAX + 1):
        raw = os.fsencode(fill * length)[:length]
        encoded_prefix = os.fsencode(staged_prefix(os.fsdecode(raw)))
        assert len(encoded_prefix) + 8 + len(STAGED_SUFFIX) <= NAME_MAX, length
        if fill != "\udcff" and len(raw) % len(fill.encode()) == 0:
            encoded_prefix.decode("utf-8")  # a whole-character name keeps whole characters
    for length in (200, 237, 238, 254, 255):
        target = tmp_path / os.fsdecode(os.fsencode(fill * length)[:length])
        if len(os.fsencode(target.name)) != length:
            continue  # a multi-byte fill that does not divide the length evenly: covered above
        with output_batch() as batch, batch.file(target) as handle:
            handle.write(b"x" * length)
        assert target.read_bytes() == b"x" * length
    _no_partials(tmp_path)


def test_two_long_names_sharing_a_prefix_stage_apart(tmp_path: Path) -> None:
    """Two 255-byte names that differ only at the end are staged under different prefixes (the
    hash of the whole name), so a listing of staged files still tells them apart."""
    a, b = "x" * 254 + "a", "x" * 254 + "b"
    assert staged_prefix(a) != staged_prefix(b)
    with output_batch() as batch:
        for name in (a, b):
            with batch.file(tmp_path / name) as handle:
                handle.write(name.encode())
    assert (tmp_path / a).read_text() == a and (tmp_path / b).read_text() == b


def test_evaluate_stages_a_long_directory_name(tmp_path: Path) -> None:
    """`evaluate --out` stages its directory under the same rule (and renames an old one aside)."""
    name = "e" * NAME_MAX
    for suffix in (STAGED_SUFFIX, ".replaced"):
        made = tempfile.mkdtemp(prefix=staged_prefix(name, suffix), suffix=suffix, dir=tmp_path)
        assert len(os.fsencode(os.path.basename(made))) <= NAME_MAX

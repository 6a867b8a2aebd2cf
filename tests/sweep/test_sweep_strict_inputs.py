"""Sweep configs, journals and results files that a person wrote or edited are refused
with one line and exit 2, before any work: a different config on --resume, an --out that is not
a sweep, a grid too large to build, duplicate or deeply nested YAML keys, YAML 1.1 booleans, a
corrupt journal, a malformed results.json given to plot, a scheduler address of the wrong form
and an impossible worker count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from phase_router.cli import app
from phase_router.sweep.journal import JOURNAL_NAME

BASE = {"name": "strict", "shapes": [{"N": 16}], "k": [2, 4], "seeds": [0, 1],
        "inputs": [{"generator": "exact-k"}], "routers": ["phase", "hash"]}
N_CELLS = 8


def _write(tmp_path: Path, text: str | None = None, **changes) -> Path:
    path = tmp_path / "strict.yaml"
    path.write_text(text if text is not None else yaml.safe_dump({**BASE, **changes}))
    return path


def _run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    text = result.stderr.strip()
    assert text.startswith("phase-router: error: ") and "\n" not in text, text
    return text


@pytest.fixture
def done(tmp_path: Path) -> tuple[Path, Path]:
    config, out = _write(tmp_path), tmp_path / "out"
    assert _run("sweep", config, "--out", out).exit_code == 0
    return config, out


# --------------------------------------------------------------------------- --resume of another config


@pytest.mark.parametrize(("change", "key"), [({"k": [2, 8]}, "k"), ({"seeds": 3}, "seeds"),
                                             ({"routers": ["phase"]}, "routers"),
                                             ({"options": {"row_perm": [True]}}, "options")])
def test_resume_of_a_different_config_is_refused(done, change, key) -> None:
    config, out = done
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _write(config.parent, **change)
    text = _one_line_error(_run("sweep", config, "--out", out, "--resume"))
    assert "different config" in text and f": {key} differ" in text
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing touched


def test_resume_may_change_description_and_expectations(done) -> None:
    config, out = done
    _write(config.parent, description="now with a bound", expect=[{"metric": "skew", "max": 100}])
    result = _run("sweep", config, "--out", out, "--resume")
    assert result.exit_code == 0, result.output
    assert f"(0 run now, {N_CELLS} already done)" in result.stdout


def test_journal_header_records_the_config(done) -> None:
    _, out = done
    header = json.loads((out / JOURNAL_NAME).read_bytes().split(b"\n")[0])
    assert header["journal"] == "phase-router-sweep-journal/3" and header["config"]["k"] == [2, 4]


# --------------------------------------------------------------------------- --out that is not a sweep


@pytest.mark.parametrize("resume", [False, True])
def test_out_that_holds_other_files_is_refused(tmp_path: Path, resume: bool) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "results.csv").write_text("my own data\n")
    (out / "summary.md").write_text("# my notes\n")
    args = ["sweep", _write(tmp_path), "--out", out] + (["--resume"] if resume else [])
    text = _one_line_error(_run(*args))
    assert "holds no sweep" in text
    assert (out / "results.csv").read_text() == "my own data\n" and (out / "summary.md").read_text() == "# my notes\n"
    assert sorted(p.name for p in out.iterdir()) == ["results.csv", "summary.md"]


def test_empty_out_directory_is_fine(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert _run("sweep", _write(tmp_path), "--out", tmp_path / "empty").exit_code == 0


# --------------------------------------------------------------------------- the grid, up front


def test_a_grid_too_large_to_build_is_refused_before_expanding(tmp_path: Path) -> None:
    config = _write(tmp_path, seeds=1_000_000, k=[1, 2, 3, 4], shapes=[{"N": 16}, {"N": 32}])
    text = _one_line_error(_run("sweep", config, "--out", tmp_path / "out"))
    assert "cells" in text and "limit 1,000,000" in text
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("change", [{"seed": 2**64}, {"seed": -1}, {"k": 0}, {"M": 2**31},
                                    {"input": {"generator": "uniform", "density": 2.0}}])
def test_every_cell_of_the_grid_is_checked_up_front(change: dict) -> None:
    """plan() passes every cell through the API's checks before the first one runs (a cell the
    typed config could not produce, such as one built from an edited journal, included)."""
    from dataclasses import replace

    from phase_router.errors import InvalidInputError
    from phase_router.sweep.grid import Cell, check_cells

    good = Cell("phase", 16, 16, 2, 0, False, "auto", {"generator": "uniform", "density": 0.5})
    check_cells([good])
    with pytest.raises(InvalidInputError):
        check_cells([good, replace(good, **change)])


# --------------------------------------------------------------------------- strict YAML


def test_duplicate_key_is_refused_with_its_line(tmp_path: Path) -> None:
    text = "name: strict\nk: [2]\nshapes: [{N: 16}]\nk: [4]\ninputs: [{generator: exact-k}]\n"
    message = _one_line_error(_run("sweep", _write(tmp_path, text), "--out", tmp_path / "out"))
    assert "duplicate key 'k'" in message and "line 4" in message and "line 2" in message


def test_duplicate_nested_key_is_refused(tmp_path: Path) -> None:
    text = "k: [2]\nshapes: [{N: 16, N: 32}]\ninputs: [{generator: exact-k}]\n"
    assert "duplicate key 'N'" in _one_line_error(_run("sweep", _write(tmp_path, text), "--out", tmp_path / "o"))


@pytest.mark.parametrize("nested", ["[" * 3000 + "]" * 3000, "{a: " * 3000 + "1" + "}" * 3000, "- " * 3000 + "1"])
def test_deeply_nested_yaml_is_one_line(tmp_path: Path, nested: str) -> None:
    message = _one_line_error(_run("sweep", _write(tmp_path, "k: " + nested + "\n"), "--out", tmp_path / "o"))
    assert "nested more than" in message or "not valid YAML" in message


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "y", "'false'", "'true'", "0", "1", "null"])
@pytest.mark.parametrize("key", ["options.row_perm", "k_at_most_E"])
def test_boolean_keys_take_only_true_or_false(tmp_path: Path, key: str, value: str) -> None:
    body = yaml.safe_dump(BASE)
    body += f"options: {{row_perm: {value}}}\n" if key == "options.row_perm" else f"k_at_most_E: {value}\n"
    message = _one_line_error(_run("sweep", _write(tmp_path, body), "--out", tmp_path / "o"))
    assert key.split(".")[-1] in message and "boolean" in message


@pytest.mark.parametrize("value", ["true", "false", "True", "FALSE"])
def test_true_and_false_are_booleans(tmp_path: Path, value: str) -> None:
    body = yaml.safe_dump(BASE) + f"options: {{row_perm: {value}}}\n"
    assert _run("sweep", _write(tmp_path, body), "--out", tmp_path / "o").exit_code == 0


# --------------------------------------------------------------------------- corrupt journals on --resume


def _lines(out: Path) -> list[bytes]:
    return (out / JOURNAL_NAME).read_bytes().split(b"\n")[:-1]


def _edit_record(lines: list[bytes], index: int, change) -> list[bytes]:
    record = json.loads(lines[index])
    change(record)
    return lines[:index] + [json.dumps(record).encode()] + lines[index + 1:]


JOURNAL_DAMAGE = {
    "bad JSON in the middle": lambda ls: ls[:3] + [b'{"cell_id": "x", '] + ls[4:],
    "a line cut short in the middle": lambda ls: ls[:3] + [ls[3][:40]] + ls[4:],
    "binary garbage": lambda ls: ls[:2] + [b"\xff\xfe\x00\x01"] + ls[2:],
    "a JSON array line": lambda ls: ls[:2] + [b"[1, 2, 3]"] + ls[2:],
    "header removed": lambda ls: ls[1:],
    "header of an unknown format": lambda ls: [b'{"journal": "phase-router-sweep-journal/99", "config": {}}'] + ls[1:],
    "header config not an object": lambda ls: [b'{"journal": "phase-router-sweep-journal/3", "config": 7}'] + ls[1:],
    "a duplicated record": lambda ls: ls + [ls[2]],
    "M as a string": lambda ls: _edit_record(ls, 2, lambda r: r.update(M="16")),
    "seed above 2^64": lambda ls: _edit_record(ls, 2, lambda r: r.update(seed=2**64)),
    "skew NaN": lambda ls: _edit_record(ls, 2, lambda r: r.update(skew=float("nan"))),
    "timings not an object": lambda ls: _edit_record(ls, 2, lambda r: r.update(timings=[])),
    "cell_id not in the grid": lambda ls: _edit_record(ls, 2, lambda r: r.update(cell_id="0123456789abcdef")),
    "cell_id not hex": lambda ls: _edit_record(ls, 2, lambda r: r.update(cell_id=5)),
    "cell parameters changed": lambda ls: _edit_record(ls, 2, lambda r: r["cell"].update(k=3)),
    "record of another k": lambda ls: _edit_record(ls, 2, lambda r: (r.update(k=3), r["cell"].update(k=3))),
    "cell missing": lambda ls: _edit_record(ls, 2, lambda r: r.pop("cell")),
    "routes digest missing": lambda ls: _edit_record(ls, 2, lambda r: r.pop("routes_sha256")),
    "deeply nested line": lambda ls: ls[:2] + [b"[" * 100000 + b"]" * 100000] + ls[2:],
}


@pytest.mark.parametrize("damage", list(JOURNAL_DAMAGE))
def test_corrupt_journal_on_resume_is_one_line(done, damage: str) -> None:
    config, out = done
    (out / JOURNAL_NAME).write_bytes(b"\n".join(JOURNAL_DAMAGE[damage](_lines(out))) + b"\n")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    text = _one_line_error(_run("sweep", config, "--out", out, "--resume"))
    assert JOURNAL_NAME in text
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_torn_last_line_still_resumes(done) -> None:
    config, out = done
    lines = _lines(out)
    (out / JOURNAL_NAME).write_bytes(b"\n".join(lines[:-1]) + b"\n" + lines[-1][:30])
    result = _run("sweep", config, "--out", out, "--resume")
    assert result.exit_code == 0 and f"(1 run now, {N_CELLS - 1} already done)" in result.stdout


# --------------------------------------------------------------------------- malformed results.json for plot


def _edit_results(out: Path, change) -> None:
    payload = json.loads((out / "results.json").read_text())
    change(payload)
    (out / "results.json").write_text(json.dumps(payload))


RESULTS_DAMAGE = {
    "records not a list": lambda p: p.update(records={"a": 1}),
    "a record not an object": lambda p: p["records"].__setitem__(0, 5),
    "timings missing": lambda p: p["records"][0].pop("timings"),
    "skew a string": lambda p: p["records"][0].update(skew="high"),
    "skew missing in one record": lambda p: p["records"][3].pop("skew"),
    "route time missing in one record": lambda p: p["records"][3]["timings"].pop("route_ms_median"),
    "M negative": lambda p: p["records"][0].update(M=-1),
    "M a bool": lambda p: p["records"][0].update(M=True),
    "row_perm a string": lambda p: p["records"][0].update(row_perm="false"),
    "router unknown": lambda p: p["records"][0].update(router="nope"),
    "input not a string": lambda p: p["records"][0].update(input=None),
    "cell id duplicated": lambda p: p["records"].append(p["records"][0]),
    "cell changed": lambda p: p["records"][0]["cell"].update(seed=99),
    "cell input not an object": lambda p: p["records"][0]["cell"].update(input=3),
    "cell files malformed": lambda p: p["records"][0]["cell"].update(files={"S": 1}),
}


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    config, out = _write(tmp_path), tmp_path / "out"
    assert _run("sweep", config, "--out", out).exit_code == 0
    return out


@pytest.mark.parametrize("damage", list(RESULTS_DAMAGE))
def test_malformed_results_for_plot_is_one_line(results_dir: Path, damage: str) -> None:
    pytest.importorskip("matplotlib")
    _edit_results(results_dir, RESULTS_DAMAGE[damage])
    text = _one_line_error(_run("plot", results_dir))
    assert "results.json" in text
    assert not list(results_dir.glob("*.png"))


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"[" * 100000 + b"]" * 100000, b'{"schema": "phase-router-sweep/1"}',
                                 b"", b"null", b'{"schema": "phase-router-sweep/1", "records": [null]}'])
def test_unreadable_results_for_plot_is_one_line(results_dir: Path, raw: bytes) -> None:
    pytest.importorskip("matplotlib")
    (results_dir / "results.json").write_bytes(raw)
    assert "results.json" in _one_line_error(_run("plot", results_dir))


# --------------------------------------------------------------------------- executors


@pytest.mark.parametrize("address", ["notanaddress", "tcp://", "tcp://host", "tcp://host:0", "tcp://host:99999",
                                     "http://host:80", "tcp://ho st:8786", "tcp://host:87a6", ""])
def test_scheduler_address_of_the_wrong_form_is_refused_before_connecting(tmp_path: Path, address: str,
                                                                          monkeypatch) -> None:
    import distributed

    def never(*args, **kwargs):
        raise AssertionError("a connection was tried")

    monkeypatch.setattr(distributed, "Client", never)
    text = _one_line_error(_run("sweep", _write(tmp_path), "--out", tmp_path / "out", "--scheduler", address))
    assert "host:port" in text
    S = Path(__file__).resolve().parents[2] / "samples"
    text = _one_line_error(_run("route", S / "S.pbm", S / "T.pbm", "-k", 4, "--out", tmp_path / "r.npy",
                                "--scheduler", address))
    assert "host:port" in text


def test_too_many_workers_is_refused(tmp_path: Path) -> None:
    S = Path(__file__).resolve().parents[2] / "samples"
    text = _one_line_error(_run("route", S / "S.pbm", S / "T.pbm", "-k", 4, "--out", tmp_path / "r.npy",
                                "--workers", 100000))
    assert "worker processes per core" in text
    assert not (tmp_path / "r.npy").exists()

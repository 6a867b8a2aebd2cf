"""The `phase-router` command line: outputs match the API, errors are one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import phase_router
from phase_router.cli import app
from phase_router.io import read_pbm, read_row_degrees, write_pbm


@pytest.fixture
def samples() -> Path:
    return Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _run(runner: CliRunner, *args) -> "object":
    return runner.invoke(app, [str(a) for a in args])


def _expected(S: Path, T: Path, k: int, seed: int, row_perm: bool = False) -> phase_router.Routing:
    s, _ = read_row_degrees(S)
    t, _ = read_row_degrees(T)
    return phase_router.route_degrees(s, t, k, seed=seed, row_perm=row_perm)


def _ok(result) -> None:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    assert result.stderr == ""


# --------------------------------------------------------------------------- successful runs


def test_route_all_outputs(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    out, stats, pbm = tmp_path / "X.npy", tmp_path / "X.json", tmp_path / "O.pbm"
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 64, "--seed", 3,
                  "--out", out, "--stats", stats, "--pbm", pbm)
    _ok(result)
    assert "active routes" in result.stdout

    expected = _expected(samples / "S.pbm", samples / "T.pbm", 64, 3)
    routes = np.load(out)
    assert routes.dtype == np.int32
    assert routes.shape == (256, 64)
    np.testing.assert_array_equal(routes, expected.routes)
    # a real routing, not all padding, with target ids in range
    assert (routes >= 0).sum() > 0
    assert routes.max() < 256

    payload = json.loads(stats.read_text())
    assert payload["stats"]["M"] == 256
    assert payload["stats"]["E"] == 256
    assert payload["stats"]["k"] == 64
    assert payload["stats"]["seed"] == 3
    assert payload["stats"]["row_perm"] is False
    assert payload["stats"]["active_routes"] == int((routes >= 0).sum())
    assert payload["stats"]["column_load_max"] == int(expected.column_loads.max())
    assert payload["inputs"] == {"S": str(samples / "S.pbm"), "T": str(samples / "T.pbm")}
    assert payload["outputs"]["routes"] == str(out)
    assert payload["outputs"]["routing pbm"] == str(pbm)
    assert {"read", "prepare", "route_and_write", "total"} <= set(payload["stats"]["timings_ms"])
    assert payload["execution"]["executor"] == "local"

    O = read_pbm(pbm)  # noqa: N806
    assert O.shape == (256, 256)
    for i in range(256):
        valid = routes[i][routes[i] >= 0]
        assert np.flatnonzero(O[i]).tolist() == sorted(valid.tolist())
    assert int(O.sum()) == payload["stats"]["active_routes"]


def test_route_csv(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    csv, npy = tmp_path / "routes.csv", tmp_path / "routes.npy"
    _ok(_run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 64, "--seed", 3, "--out", csv))
    _ok(_run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 64, "--seed", 3, "--out", npy))
    from_csv = np.loadtxt(csv, delimiter=",", dtype=int)
    assert from_csv.shape == (256, 64)
    np.testing.assert_array_equal(from_csv, np.load(npy))
    assert (from_csv == -1).any()  # the padding is written as -1


def test_route_csv_uppercase_extension(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    csv = tmp_path / "ROUTES.CSV"
    _ok(_run(runner, "route", samples / "rect_S.npy", samples / "rect_T.npy", "-k", 3, "--out", csv))
    expected = _expected(samples / "rect_S.npy", samples / "rect_T.npy", 3, 0)
    np.testing.assert_array_equal(np.loadtxt(csv, delimiter=",", dtype=int), expected.routes)


def test_route_json(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    stats = tmp_path / "s.json"
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 64, "--seed", 3, "--json",
                  "--stats", stats)
    _ok(result)
    printed = json.loads(result.stdout)
    written = json.loads(stats.read_text())
    expected = _expected(samples / "S.pbm", samples / "T.pbm", 64, 3).stats.to_dict()
    for key in ("M", "E", "k", "seed", "row_perm", "active_routes", "rows_underfilled", "column_load_max"):
        assert printed["stats"][key] == expected[key], key
        assert written["stats"][key] == expected[key], key
    assert printed["stats"]["fill_ratio"] == pytest.approx(expected["fill_ratio"])
    assert printed["outputs"]["stats"] == str(stats)


def test_route_rectangular_npy(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.npy"
    _ok(_run(runner, "route", samples / "rect_S.npy", samples / "rect_T.npy", "-k", 8, "--seed", 5, "--out", out))
    routes = np.load(out)
    assert routes.shape == (300, 8)
    np.testing.assert_array_equal(routes, _expected(samples / "rect_S.npy", samples / "rect_T.npy", 8, 5).routes)
    assert routes.max() < 40


def test_route_bands_row_perm(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    S, T = samples / "bands_S.pbm", samples / "bands_T.pbm"  # noqa: N806
    out, plain_out = tmp_path / "b.npy", tmp_path / "b_plain.npy"
    result = _run(runner, "route", S, T, "-k", 16, "--seed", 1, "--row-perm", "--out", out, "--json")
    _ok(result)
    assert json.loads(result.stdout)["stats"]["row_perm"] is True
    routes = np.load(out)
    assert routes.shape == (128, 16)
    np.testing.assert_array_equal(routes, _expected(S, T, 16, 1, row_perm=True).routes)
    _ok(_run(runner, "route", S, T, "-k", 16, "--seed", 1, "--out", plain_out))
    np.testing.assert_array_equal(np.load(plain_out), _expected(S, T, 16, 1, row_perm=False).routes)
    assert not np.array_equal(routes, np.load(plain_out))  # the option changes the routing


def test_mixed_formats(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    """S as P1 PBM and T as NPY (the readers are chosen per file)."""
    S = read_pbm(samples / "S.pbm")  # noqa: N806
    write_pbm(tmp_path / "S_plain.pbm", S, plain=True)
    np.save(tmp_path / "T.npy", read_pbm(samples / "T.pbm").astype(np.float64))
    out = tmp_path / "m.npy"
    _ok(_run(runner, "route", tmp_path / "S_plain.pbm", tmp_path / "T.npy", "-k", 64, "--seed", 3, "--out", out))
    np.testing.assert_array_equal(np.load(out), _expected(samples / "S.pbm", samples / "T.pbm", 64, 3).routes)


def test_determinism(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    files = {}
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        out, pbm = tmp_path / f"{name}.npy", tmp_path / f"{name}.pbm"
        _ok(_run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 32, "--seed", seed,
                 "--out", out, "--pbm", pbm))
        files[name] = (out.read_bytes(), pbm.read_bytes())
    assert files["a"] == files["b"]
    assert files["a"][0] != files["c"][0]
    assert not np.array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "c.npy"))


def test_threads_do_not_change_routes(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    outputs = []
    for threads in (1, 2, 0):
        out = tmp_path / f"t{threads}.npy"
        _ok(_run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 64, "--seed", 7,
                 "--threads", threads, "--out", out))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_largest_seed(runner: CliRunner, samples: Path) -> None:
    result = _run(runner, "route", samples / "rect_S.npy", samples / "rect_T.npy", "-k", 4,
                  "--seed", 2**64 - 1, "--json")
    _ok(result)
    assert json.loads(result.stdout)["stats"]["seed"] == 2**64 - 1


def test_overwrites_existing_output(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.npy"
    out.write_bytes(b"stale")
    _ok(_run(runner, "route", samples / "rect_S.npy", samples / "rect_T.npy", "-k", 2, "--out", out))
    assert np.load(out).shape == (300, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.npy"]  # no temporary files left


def test_version(runner: CliRunner) -> None:
    result = _run(runner, "--version")
    _ok(result)
    assert result.stdout == f"phase-router {phase_router.__version__}\n"


def test_route_help(runner: CliRunner) -> None:
    result = _run(runner, "route", "--help")
    _ok(result)
    for option in ("-k", "--seed", "--row-perm", "--out", "--stats", "--pbm", "--json", "--threads"):
        assert option in result.stdout, option


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = _run(runner)
    assert "route" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- errors


def _bad_inputs(samples: Path, tmp_path: Path) -> dict[str, tuple[Path, Path, tuple[str, ...]]]:
    """name -> (S, T, names the one error line must contain)."""
    (tmp_path / "T_dir").mkdir()
    (tmp_path / "magic.pbm").write_bytes(b"P7\n3 3\n" + bytes(3))
    (tmp_path / "truncated.pbm").write_bytes(samples.joinpath("T.pbm").read_bytes()[:-10])
    two = np.load(samples / "rect_T.npy")
    two[3, 17] = 2
    np.save(tmp_path / "two.npy", two)
    (tmp_path / "broken_header.npy").write_bytes(b"\x93NUMPY\x01\x00\x01\x00{" + bytes(4))
    return {
        "missing-S": (tmp_path / "missing_S.pbm", samples / "T.pbm", ("missing_S.pbm", "no such file")),
        "T-is-directory": (samples / "S.pbm", tmp_path / "T_dir", ("T_dir", "directory")),
        "bad-magic": (tmp_path / "magic.pbm", samples / "T.pbm", ("magic.pbm", "P7")),
        "truncated-P4": (samples / "S.pbm", tmp_path / "truncated.pbm", ("truncated.pbm", "truncated")),
        "npy-value-2": (samples / "rect_S.npy", tmp_path / "two.npy", ("two.npy", "row 3, column 17")),
        "npy-broken-header": (samples / "rect_S.npy", tmp_path / "broken_header.npy", ("broken_header.npy",)),
        "shape-mismatch": (samples / "S.pbm", samples / "rect_T.npy", ("S.pbm", "rect_T.npy", "40 x 300")),
    }


BAD_INPUT_CASES = ["missing-S", "T-is-directory", "bad-magic", "truncated-P4", "npy-value-2",
                   "npy-broken-header", "shape-mismatch"]


def _assert_one_error_line(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("phase-router: error: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize("case", BAD_INPUT_CASES)
def test_bad_inputs(runner: CliRunner, samples: Path, tmp_path: Path, case: str) -> None:
    S, T, fragments = _bad_inputs(samples, tmp_path)[case]  # noqa: N806
    outdir = tmp_path / "outputs"
    outdir.mkdir()
    result = _run(runner, "route", S, T, "-k", 8, "--out", outdir / "routes.npy",
                  "--stats", outdir / "stats.json", "--pbm", outdir / "O.pbm")
    _assert_one_error_line(result, *fragments)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(outdir.iterdir()) == []


def test_out_with_unsupported_extension(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "routes.txt"
    stats = tmp_path / "stats.json"
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 8, "--out", out, "--stats", stats)
    _assert_one_error_line(result, "routes.txt", ".npy or .csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--out", "--stats", "--pbm"])
def test_output_in_missing_directory(runner: CliRunner, samples: Path, tmp_path: Path, option: str) -> None:
    target = tmp_path / "no_such_dir" / ("x.npy" if option == "--out" else "x.out")
    others = {"--out": tmp_path / "r.npy", "--stats": tmp_path / "s.json", "--pbm": tmp_path / "o.pbm"}
    others[option] = target
    args = [a for pair in others.items() for a in pair]
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 8, *args)
    _assert_one_error_line(result, str(target), "does not exist")
    assert list(tmp_path.iterdir()) == []  # neither the directory nor the other outputs were created


def test_output_is_a_directory(runner: CliRunner, samples: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken.npy"
    target.mkdir()
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 8, "--out", target)
    _assert_one_error_line(result, "taken.npy", "directory")
    assert list(target.iterdir()) == []


@pytest.mark.parametrize(
    "args, option",
    [
        (["-k", "0"], "-k"),
        (["-k", "-3"], "-k"),
        (["-k", "many"], "-k"),
        (["-k", "4", "--seed", "-1"], "--seed"),
        (["-k", "4", "--seed", str(2**64)], "--seed"),
        (["-k", "4", "--threads", "-1"], "--threads"),
        ([], "-k"),
    ],
    ids=["k=0", "k<0", "k-text", "seed=-1", "seed=2^64", "threads<0", "k-missing"],
)
def test_option_parser_rejects(runner: CliRunner, samples: Path, tmp_path: Path, args: list[str], option: str) -> None:
    out = tmp_path / "r.npy"
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", *args, "--out", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert option in result.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- the installed command


def _console_script() -> Path:
    script = Path(sys.executable).parent / "phase-router"
    if not script.exists():
        pytest.skip(f"console script not installed at {script}")
    return script


def test_console_script(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.npy"
    proc = subprocess.run(
        [str(_console_script()), "route", str(samples / "S.pbm"), str(samples / "T.pbm"), "-k", "64",
         "--seed", "3", "--out", str(out)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "active routes" in proc.stdout
    assert proc.stderr == ""
    np.testing.assert_array_equal(np.load(out), _expected(samples / "S.pbm", samples / "T.pbm", 64, 3).routes)


def test_console_script_error(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.npy"
    proc = subprocess.run(
        [str(_console_script()), "route", str(samples / "S.pbm"), str(samples / "rect_T.npy"), "-k", "4",
         "--out", str(out)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("phase-router: error: ")
    assert "S.pbm" in lines[0] and "rect_T.npy" in lines[0]
    assert not out.exists()


def test_failed_second_output_leaves_no_output_at_all(runner: CliRunner, samples: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    """--out is staged first; when writing --pbm fails, neither file appears."""
    from phase_router.io.route_sinks import routing_pbm as route_sinks

    def broken_matrix(routes, E):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(route_sinks, "routing_matrix", broken_matrix)
    out, pbm = tmp_path / "r.npy", tmp_path / "O.pbm"
    result = _run(runner, "route", samples / "S.pbm", samples / "T.pbm", "-k", 4, "--out", out, "--pbm", pbm)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []

"""The fuzz corpus (tests/fuzz_corpus/, seeds and the reproducers of every finding) replayed
through the fuzz targets, the findings pinned by name, and a short fuzz run of each target.
`make fuzz` runs the same targets for longer (tests/fuzz/run.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given

from fuzz.strategies import STRATEGIES, alias_bomb
from fuzz.targets import CORPUS, TARGETS, Workspace, corpus_files, run_one
from phase_router.errors import FileFormatError
from phase_router.io import load_npy
from phase_router.sweep.loader import ConfigError, load_config

CASES = [(name, path) for name in TARGETS for path in corpus_files(name)]


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("fuzz"))


def test_every_target_has_seeds() -> None:
    assert {name for name, _ in CASES} == set(TARGETS)


@pytest.mark.parametrize(("name", "path"), CASES, ids=[f"{n}/{p.name}" for n, p in CASES])
def test_corpus_file(ws: Workspace, name: str, path: Path) -> None:
    outcome = run_one(name, ws, path.read_bytes())
    # Seeds are valid files; reproducers of findings must be refused cleanly.
    assert outcome == ("rejected" if path.name.startswith("crash-") else "ok")


@pytest.mark.parametrize("name", ["npy", "degrees_npy"])
def test_npy_shape_whose_size_overflows_is_refused(name: str) -> None:
    """Finding 1: NumPy's memmap computes the byte size in C longs and raised OverflowError (or
    'mmap length must be positive') on a header shape like (2, 2**63, 30, 23)."""
    for path in (CORPUS / name).glob("crash-*shape*.bin"):
        with pytest.raises(FileFormatError):
            load_npy(path)


def test_npy_header_larger_than_the_file_is_refused_before_mapping(tmp_path: Path) -> None:
    path = tmp_path / "big.npy"
    header = "{'descr': '<i8', 'fortran_order': False, 'shape': (1073741824, 3), }".ljust(117) + "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\0" * 16)
    with pytest.raises(FileFormatError, match=r"needs 25769803776 bytes, but only 16 bytes"):
        load_npy(path)


def test_yaml_control_character_message_is_one_line() -> None:
    """Finding 2: PyYAML's ReaderError prints over two lines; the CLI's error is one line."""
    with pytest.raises(ConfigError) as caught:
        load_config(CORPUS / "yaml_config" / "crash-control-char-two-line-message.bin")
    assert "\n" not in str(caught.value) and "unacceptable character" in str(caught.value)


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    """9^6 seeds through YAML aliases: refused by the seed count limit, not expanded forever."""
    path = tmp_path / "bomb.yaml"
    path.write_bytes(alias_bomb(6))
    with pytest.raises(ConfigError):
        load_config(path)


def test_npy_roundtrip_still_reads(tmp_path: Path) -> None:
    np.save(tmp_path / "m.npy", np.eye(3, dtype=np.uint8))
    assert load_npy(tmp_path / "m.npy").shape == (3, 3)


def _short_fuzz(name: str):
    @given(STRATEGIES[name])
    def fuzz(ws_dir, data: bytes) -> None:
        run_one(name, ws_dir, data)  # ok or a typed, one-line refusal; anything else fails

    return fuzz


@pytest.mark.parametrize("name", list(TARGETS))
def test_short_fuzz_run(ws: Workspace, name: str) -> None:
    _short_fuzz(name)(ws)


def test_results_json_router_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    """Finding 5 (results_json target): a record whose router is a list or an object is a
    FileFormatError naming results.json, not a TypeError (unhashable) from the record check."""
    from phase_router.sweep.results import load_results

    for path in (CORPUS / "results_json").glob("crash-router-*.bin"):
        (tmp_path / "results.json").write_bytes(path.read_bytes())
        with pytest.raises(FileFormatError, match="results.json: records\\[\\d+\\]: router must be one of"):
            load_results(tmp_path)


def test_cli_target_counts_refusals_and_passes_valid_command_lines(ws: Workspace) -> None:
    """The CLI target runs the installed entry point: a valid command line is ok, a refused one
    is one error line (counted as rejected), and a broken contract is a finding."""
    assert run_one("cli_options", ws, b'["route", "S.pbm", "T.pbm", "-k", "4"]') == "ok"
    assert run_one("cli_options", ws, b'["route", "S.pbm", "T.pbm", "-k", "0"]') == "rejected"
    assert run_one("cli_options", ws, b'["sweep", "sweep.yaml", "--scheduler", "notanaddress"]') == "rejected"
    assert run_one("cli_options", ws, b'["route", "S.pbm", "T.pbm", "-k", "4", "--workers", "100000"]') == "rejected"

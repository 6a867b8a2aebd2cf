"""The examples redone from the original system (examples/*.py) run as a user runs them: each in
its own process, from a fresh working directory, and must exit 0 (each checks its own claims
with asserts). The PyTorch one needs torch: `make test-torch` installs the CPU wheel and runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str, *args: str, cwd: Path) -> str:
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=cwd, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_numpy_front_end(tmp_path) -> None:
    out = run_example("numpy_front_end.py", "--n", "1024", "--k", "32", cwd=tmp_path)
    assert "mean loads vs theory" in out


def test_scipy_front_end(tmp_path) -> None:
    pytest.importorskip("scipy")
    out = run_example("scipy_front_end.py", cwd=tmp_path)
    assert "routing matrix O" in out


def test_capacity_planning(tmp_path) -> None:
    out = run_example("capacity_planning.py", "--tokens", "4096", "--experts", "32", cwd=tmp_path)
    assert "recommendation: capacity factor" in out and "verified on fresh seeds" in out
    assert "holds out of sample" in out


def test_pbm_in_pbm_out(tmp_path) -> None:
    out = run_example("pbm_in_pbm_out.py", "--k", "16", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert (tmp_path / "o" / "O.pbm").read_bytes().startswith(b"P4")
    assert "routes" in out


def test_placement_under_constraints(tmp_path) -> None:
    out = run_example("placement_under_constraints.py", "--jobs", "1500", "--machines", "120", cwd=tmp_path)
    assert "respects the constraints" in out


@pytest.mark.torch
def test_torch_front_end(tmp_path) -> None:
    pytest.importorskip("torch", reason="PyTorch is not installed: `make test-torch` installs the CPU wheel and runs this")
    out = run_example("torch_front_end.py", "--tokens", "2048", cwd=tmp_path)
    assert "round-trip: ok" in out

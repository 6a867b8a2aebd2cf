"""Runtime CPU dispatch: every path this CPU can run gives the same bits.

Each path is forced with PHASE_ROUTER_CPU in a subprocess (the choice is made once, at import):
the kernel's reference-equivalence, golden and randomness tests run under it, and a digest of
many routings (tools/path_digest.py) must equal the default path's. The row-degree tests (arrays
and NPY files, whose byte loops are dispatched too) run under every path below the default,
which the rest of the suite runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import phase_router
from phase_router import _core

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["baseline", "avx2", "avx512"]
RUNNABLE = ORDER[: ORDER.index(_core.cpu_path_best) + 1] if _core.cpu_path_best in ORDER else ["generic"]
KERNEL_TESTS = ["ring/test_golden.py", "ring/test_kernel_matches_reference.py", "ring/test_randomness.py"]
DEGREE_TESTS = ["io/test_matrix_degrees.py", "io/test_npy_file_reads.py"]

DIGEST_TOOL = str(ROOT / "tools" / "path_digest.py")


def run_with_path(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PHASE_ROUTER_CPU": path, "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci")}
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, cwd=ROOT / "tests")


@pytest.mark.parametrize("path", RUNNABLE)
def test_kernel_tests_pass_under_each_forced_path(path: str) -> None:
    done = run_with_path(path, "-m", "pytest", "-q", "-p", "no:cacheprovider", *KERNEL_TESTS)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.parametrize("path", RUNNABLE[:-1])
def test_degree_tests_pass_under_each_lower_path(path: str) -> None:
    done = run_with_path(path, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DEGREE_TESTS)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_every_path_gives_the_default_paths_bits() -> None:
    results = {}
    for path in RUNNABLE:
        done = run_with_path(path, DIGEST_TOOL)
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["path"] == path  # the forced path really ran
        results[path] = result["digest"]
    default = subprocess.run([sys.executable, DIGEST_TOOL], capture_output=True, text=True, check=True,
                             env={k: v for k, v in os.environ.items() if k != "PHASE_ROUTER_CPU"})
    assert set(results.values()) == {json.loads(default.stdout)["digest"]}, results


def test_default_path_is_the_best_the_cpu_supports() -> None:
    if "PHASE_ROUTER_CPU" not in os.environ:
        assert phase_router.cpu_path == _core.cpu_path_best
    assert phase_router.cpu_path in phase_router.CPU_PATHS


def test_a_higher_path_than_the_cpu_has_is_not_taken() -> None:
    done = run_with_path("avx512", "-c", "import phase_router as pr; print(pr.cpu_path)")
    assert done.stdout.strip() == RUNNABLE[-1]


def test_an_unknown_path_name_warns_and_keeps_the_best() -> None:
    done = run_with_path("sse9", "-W", "always", "-c", "import phase_router as pr; print(pr.cpu_path)")
    assert done.returncode == 0
    assert done.stdout.strip() == _core.cpu_path_best
    assert "PHASE_ROUTER_CPU='sse9' names no CPU path" in done.stderr

"""Identical bits whatever the thread count, OpenMP or not, and whatever the CPU flags."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from phase_router import _core
from phase_router._internal.random import splitmix_array

ROOT = Path(__file__).resolve().parents[2]
CASES = [  # (M, E, k, seed, row_perm)
    (1000, 777, 100, 5, False),
    (777, 1000, 300, 2**63 + 1, True),
    (3000, 129, 64, 0, False),
    (65, 4000, 1, 9, True),
]


def digest_degrees(M: int, E: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The degrees core_cpp/tools/route_digest.cpp makes from a seed."""
    s = splitmix_array(seed ^ 0x5EED5, np.arange(M, dtype=np.uint64)) % np.uint64(E + 1)
    t = splitmix_array(seed ^ 0x7A76E7, np.arange(E, dtype=np.uint64)) % np.uint64(M + 1)
    return s.astype(np.uint32), t.astype(np.uint32)


def fnv1a64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    arr = np.frombuffer(data, dtype=np.uint8)
    for byte in arr.tolist():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


@pytest.mark.parametrize("case", CASES)
def test_thread_counts_agree_in_process(case) -> None:
    M, E, k, seed, row_perm = case
    s, t = digest_degrees(M, E, seed)
    outputs = {_core.route_degrees(s, t, k, seed, row_perm, threads).tobytes() for threads in (1, 2, 3, 7)}
    assert len(outputs) == 1


SCRIPT = """
import hashlib, json, sys
import numpy as np
from phase_router import _core
cases = json.loads(sys.argv[1])
out = []
for M, E, k, seed, row_perm in cases:
    rng = np.random.default_rng(M + E)
    s = rng.integers(0, E + 1, M).astype(np.uint32); t = rng.integers(0, M + 1, E).astype(np.uint32)
    out.append(hashlib.sha256(_core.route_degrees(s, t, k, seed, row_perm).tobytes()).hexdigest())
print(json.dumps(out))
"""


def test_omp_num_threads_1_and_2_agree_in_subprocesses() -> None:
    results = []
    for threads in ("1", "2"):
        env = {**os.environ, "OMP_NUM_THREADS": threads}
        done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(CASES)], env=env,
                              capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout))
    assert results[0] == results[1]
    assert len(set(results[0])) == len(CASES)


def on_off(flag: bool) -> str:
    return "ON" if flag else "OFF"


def build_digest_tool(build_dir: Path, openmp: bool, native: bool, replay_all: bool) -> Path:
    cmake = shutil.which("cmake", path=str(Path(sys.executable).parent)) or shutil.which("cmake")
    assert cmake, "cmake is needed to build the standalone core (it is in the [test] extra)"
    flags = [f"-DPHASE_ROUTER_OPENMP={on_off(openmp)}", f"-DPHASE_ROUTER_NATIVE={on_off(native)}",
             f"-DPHASE_ROUTER_REPLAY_ALL_BLOCKS={on_off(replay_all)}"]
    subprocess.run([cmake, "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release", *flags],
                   check=True, capture_output=True)
    subprocess.run([cmake, "--build", str(build_dir), "--target", "route_digest", "-j", "2"],
                   check=True, capture_output=True)
    return build_dir / "route_digest"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("openmp", "native", "replay_all"),
    [(False, False, False), (True, False, False), (True, True, True)],
    ids=["serial-portable", "openmp-portable", "openmp-native-replay-all"],
)
def test_standalone_builds_match_the_module(openmp: bool, native: bool, replay_all: bool) -> None:
    """The module is built with OpenMP and -march=native (vector paths where the CPU has them).
    Builds without OpenMP, without CPU-specific code, or with every vectorised selection block
    replayed by the exact scalar path, all give the same bits."""
    name = f"cpp-check-omp{int(openmp)}-native{int(native)}-replay{int(replay_all)}"
    tool = build_digest_tool(ROOT / "build" / name, openmp, native, replay_all)
    for M, E, k, seed, row_perm in CASES[:3]:
        s, t = digest_degrees(M, E, seed)
        expected = fnv1a64(_core.route_degrees(s, t, k, seed, row_perm).tobytes())
        for threads in ("1", "2"):
            done = subprocess.run([str(tool), str(M), str(E), str(k), str(seed), str(int(row_perm)), threads],
                                  capture_output=True, text=True, check=True)
            assert done.stdout.strip() == expected, (M, E, k, seed, row_perm, threads)

"""Start-up: what a new process pays before it routes anything, side by side with NumPy's own
import in the same run. Prints one JSON document
(python benchmarks/bench_startup.py [--reps 15]).

Cases, each a fresh interpreter, wall time from launch to exit:
- `python -c pass` (the interpreter alone), `python -c "import numpy"` (the floor: the package
  needs NumPy), `python -c "import phase_router"`;
- `phase-router route samples/S.pbm samples/T.pbm -k 64` (the README's first run, to /dev/null),
  `phase-router route -h` and `phase-router -h` (the whole command list).
The cases alternate within each repetition, so load hits all of them alike; each reports the
minimum and the median, and its ratio to the NumPy import (minimum over minimum, median over
median).

Every case runs from compiled bytecode, as an installed package does (pip compiles NumPy's and,
from a wheel, phase-router's modules when it installs them): the package's own modules are
compiled first, since with PYTHONDONTWRITEBYTECODE set an editable install would otherwise
compile all of them from source at every launch.
"""

from __future__ import annotations

import argparse
import compileall
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "phase-router")
SAMPLES = ROOT / "samples"

CASES = {
    "python": [sys.executable, "-c", "pass"],
    "import numpy": [sys.executable, "-c", "import numpy"],
    "import phase_router": [sys.executable, "-c", "import phase_router"],
    "phase-router route (samples, k=64)": [CLI, "route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "64"],
    "phase-router route -h": [CLI, "route", "-h"],
    "phase-router -h": [CLI, "-h"],
}


def _launch(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    args = parser.parse_args()
    for package in ("phase_router", "launch_phase_router"):  # bytecode, as an install has it
        compileall.compile_dir(str(ROOT / package), quiet=1)
    for command in CASES.values():  # warm the page cache: every case's files read once
        _launch(command)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.reps):
        for name, command in CASES.items():
            times[name].append(_launch(command))
    floor_min = min(times["import numpy"])
    floor_median = statistics.median(times["import numpy"])
    import phase_router

    results = [{"case": name, "min_ms": round(min(ms), 1), "median_ms": round(statistics.median(ms), 1),
                "min_over_numpy": round(min(ms) / floor_min, 2),
                "median_over_numpy": round(statistics.median(ms) / floor_median, 2)}
               for name, ms in times.items()]
    print(json.dumps({"reps": args.reps, "python": platform.python_version(), "machine": platform.machine(),
                      "cpu_path": phase_router.cpu_path, "results": results}, indent=2))


if __name__ == "__main__":
    main()

"""This build's kernels against another build's, side by side in one run (a regression check for
refactors): python benchmarks/bench_against_build.py OTHER.whl [--rounds 3 --reps 9].

Each build times its kernels in its own subprocess (two pybind11 modules of one name cannot share
a process); the builds alternate round by round, so machine noise hits both alike, and each
(kernel, shape) reports the median over all rounds and whether the routes agree byte for byte.
Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import site
import statistics
import subprocess
import sys
import tempfile
import zipfile

# Runs inside each build's subprocess: times every case, prints {case: [ms...], digest}.
WORKER = r"""
import hashlib, json, statistics, sys, time
import numpy as np
from phase_router import _core
reps = int(sys.argv[1])
out = {}
for N, k in ((4096, 512), (16384, 1024), (1 << 20, 8)):
    rng = np.random.default_rng(N)
    if N == 1 << 20:  # MoE: M = 2^20 tokens, E = 1024 experts, t_j = kM/E
        s = np.full(N, 1024, dtype=np.uint32); t = np.full(1024, 8 * N // 1024, dtype=np.uint32)
    else:
        s = rng.binomial(N, 0.5, N).astype(np.uint32); t = rng.binomial(N, 0.5, N).astype(np.uint32)
    cases = {"random": lambda: _core.route_degrees(s, t, k, 1, False, 0)}
    if N == 16384:  # every row by enumeration (the sparse path's inner loop)
        cases["random_sparse"] = lambda: _core.route_degrees(s, t, k, 1, False, 0, None, 2)
    if N <= 4096:
        if hasattr(_core, "selection_defaults"):  # one argument order for every policy; block from M
            cases["greedy"] = lambda: _core.select_greedy(_core.Router(s, t, k, 1), k, 1)[0]
        else:  # a build without the common selection signature
            cases["greedy"] = lambda: _core.route_degrees_greedy(s, t, k, 1, False, max(1, N // 1024), 0)
    for name, fn in cases.items():
        routes = fn()
        times = []
        for _ in range(reps):
            start = time.perf_counter(); fn(); times.append((time.perf_counter() - start) * 1e3)
        out[f"{name} {s.size}x{t.size} k={k}"] = {"ms": times, "sha256": hashlib.sha256(routes.tobytes()).hexdigest()}
out["_core"] = _core.__file__
print(json.dumps(out))
"""


def run_worker(pythonpath: str | None, reps: int) -> dict:
    env = dict(os.environ)
    command = [sys.executable, "-c", WORKER, str(reps)]
    if pythonpath:
        # -S: no site processing, so an editable install's import hook (a .pth file) cannot
        # redirect `phase_router` to the installed build; the extracted wheel comes first and
        # site-packages supplies NumPy.
        env["PYTHONPATH"] = os.pathsep.join([pythonpath, *site.getsitepackages()])
        command.insert(1, "-S")
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          check=True, cwd=tempfile.gettempdir())  # not the source tree: the builds' own packages
    result = json.loads(done.stdout)
    loaded = result.pop("_core")
    if pythonpath and not loaded.startswith(pythonpath):
        raise SystemExit(f"the worker imported {loaded}, not the build in {pythonpath}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel")
    parser.add_argument("--this", help="time this wheel as 'this build' instead of the installed package")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reps", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as other_dir, tempfile.TemporaryDirectory() as this_dir:
        zipfile.ZipFile(args.wheel).extractall(other_dir)
        if args.this:
            zipfile.ZipFile(args.this).extractall(this_dir)
        this, other = {}, {}
        for _ in range(args.rounds):
            for store, path in ((this, this_dir if args.this else None), (other, other_dir)):
                for case, result in run_worker(path, args.reps).items():
                    store.setdefault(case, {"ms": [], "sha256": result["sha256"]})["ms"] += result["ms"]
    rows = []
    for case, mine in this.items():
        theirs = other[case]
        a, b = statistics.median(mine["ms"]), statistics.median(theirs["ms"])
        rows.append({"case": case, "this_ms": round(a, 3), "other_ms": round(b, 3), "this_over_other": round(a / b, 3),
                     "identical_routes": mine["sha256"] == theirs["sha256"]})
    print(json.dumps({"other_wheel": os.path.basename(args.wheel), "rounds": args.rounds, "reps": args.reps,
                      "results": rows}, indent=2))


if __name__ == "__main__":
    main()

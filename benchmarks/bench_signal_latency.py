"""Signal latency: how long the installed `phase-router` takes to exit after SIGINT,
SIGTERM or SIGHUP, on shapes that run for seconds to minutes, measured from the signal to the exit
of the process. Prints one JSON document (python benchmarks/bench_signal_latency.py [--reps N]).

Each case starts the command, waits until it is working (its staged output exists, a sweep cell
is journaled, or its signal handlers are installed plus a few seconds), sends the signal, and
records the latency, the exit status and whether staged files were left. The polling's cost on
routes that are not cancelled is measured separately, side by side against a build without it,
by benchmarks/bench_against_build.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CLI = Path(sys.executable).parent / "phase-router"
SIGNALS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP}

SWEEP = """\
name: latency
shapes:
  - {M: 131072, E: 65536}
k: [64]
inputs:
  - generator: moe
seeds: 40
routers: [phase]
metrics: [fill, loads]
"""


def handlers_installed(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught >> (signal.SIGTERM - 1) & 1)


def staged(directory: Path) -> list[str]:
    return [p.name for p in directory.rglob("*") if p.name.endswith(".partial")]


def prepare(work: Path) -> None:
    np.save(work / "s_sq.npy", np.full(65536, 32768, np.int64))
    np.save(work / "t_sq.npy", np.full(65536, 32768, np.int64))
    np.save(work / "s_tall.npy", np.full(2**20, 2**15, np.int64))
    np.save(work / "t_tall.npy", np.full(2**16, 2**19, np.int64))
    row = np.concatenate([np.full(16384 // 16, 255, np.uint8), np.zeros(16384 // 16, np.uint8)])
    for name in ("S.pbm", "T.pbm"):
        (work / name).write_bytes(b"P4\n16384 16384\n" + np.tile(row, 16384).tobytes())
    (work / "sweep.yaml").write_text(SWEEP)


# name: (arguments, what to wait for, extra seconds of work before the signal, uninterrupted run)
CASES = {
    "route_sparse_N65536": (["route", "--degrees", "s_sq.npy", "t_sq.npy", "-k", "64", "--strategy", "sparse",
                             "--out", "r.npy"], "staged", 2.0, "about 2 minutes in one kernel call"),
    "route_degrees_M2^20_E2^16": (["route", "--degrees", "s_tall.npy", "t_tall.npy", "-k", "64",
                                   "--chunk-rows", str(2**20), "--out", "r.npy"], "staged", 2.0,
                                  "about 11 s in one kernel call"),
    "route_workers2_N65536": (["route", "--degrees", "s_sq.npy", "t_sq.npy", "-k", "64", "--strategy", "sparse",
                               "--out", "r.npy", "--workers", "2", "--chunk-rows", "4096"], "staged", 3.0,
                              "local Dask cluster, 2 worker processes"),
    "gen_exact_k_N32768": (["gen", "exact-k", "--shape", "32768", "-k", "2048", "--out", "gS.pbm", "gT.pbm"], "handlers", 3.0,
                           "about 25 s"),
    "capacity_400_seeds_N16384": (["capacity", "S.pbm", "T.pbm", "-k", "64", "--seeds", "400"], "handlers", 4.0,
                                  "about 80 s on a thread pool"),
    "sweep_jobs2": (["sweep", "sweep.yaml", "--out", "sw", "--jobs", "2"], "journal", 0.5,
                    "40 cells of about 1.5 s on 2 threads"),
}


def run_case(work: Path, name: str, signum: int) -> dict:
    args, ready, settle, _ = CASES[name]
    for leftover in ("r.npy", "gS.pbm", "gT.pbm"):
        (work / leftover).unlink(missing_ok=True)
    if (work / "sw").exists():
        for p in sorted((work / "sw").rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        (work / "sw").rmdir()
    process = subprocess.Popen([str(CLI), *args], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    checks = {"staged": lambda: bool(staged(work)),
              "handlers": lambda: handlers_installed(process.pid),
              "journal": lambda: (work / "sw" / "journal.jsonl").exists()
              and b"cell_id" in (work / "sw" / "journal.jsonl").read_bytes()}
    while not checks[ready]():
        if process.poll() is not None:
            return {"error": f"ended before the signal: {process.returncode}"}
        time.sleep(0.01)
    time.sleep(settle)
    if process.poll() is not None:
        return {"error": f"ended before the signal: {process.returncode}"}
    sent = time.perf_counter()
    process.send_signal(signum)
    try:
        _, err = process.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        return {"error": "no exit within 600 s"}
    latency = time.perf_counter() - sent
    return {"latency_s": round(latency, 3), "exit": process.returncode,
            "stderr_last_line": err.strip().splitlines()[-1] if err.strip() else "",
            "staged_left": staged(work)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1, help="signals of each kind per case")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        prepare(work)
        for name in args.cases:
            results[name] = {"what": CASES[name][3]}
            for label, signum in SIGNALS.items():
                runs = [run_case(work, name, signum) for _ in range(args.reps)]
                latencies = [r["latency_s"] for r in runs if "latency_s" in r]
                results[name][label] = {
                    "median_latency_s": statistics.median(latencies) if latencies else None,
                    "max_latency_s": max(latencies) if latencies else None,
                    "runs": runs,
                }
    all_latencies = [r["latency_s"] for case in results.values() for label in SIGNALS
                     for r in case[label]["runs"] if "latency_s" in r]
    print(json.dumps({
        "benchmark": "signal_latency",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "reps": args.reps,
        "max_latency_s": max(all_latencies) if all_latencies else None,
        "cases": results,
    }, indent=2))


if __name__ == "__main__":
    main()

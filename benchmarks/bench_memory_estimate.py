"""Peak resident memory against the `--max-memory` estimate, command by command. Prints JSON.

Each case runs the installed `phase-router` in a child process with PHASE_ROUTER_MEMORY_ESTIMATE=1,
which prints every estimate the command makes (the resident memory in use at the check plus the
planned allocations, by part); the child's peak RSS comes from os.wait4 (ru_maxrss of that child
alone). ratio = measured peak / estimate; the target is 0.8..1.2 on every case.

    python benchmarks/bench_memory_estimate.py [--quick] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from phase_router.cli.memory.probe import cli_command, probe


def gen(work: Path, kind: str, shape: str, names: tuple[str, str], *extra) -> tuple[Path, Path]:
    paths = tuple(work / n for n in names)
    if not all(p.exists() for p in paths):
        subprocess.run([*cli_command(), "gen", kind, "--shape", shape, "--out", *map(str, paths), *extra],
                       check=True, stdout=subprocess.DEVNULL)
    return paths


def plain(paths: tuple[Path, Path]) -> tuple[Path, Path]:
    """The same matrices as P1 (plain PBM text, about 2 bytes a cell)."""
    from phase_router import io

    out = tuple(p.with_name(p.stem + "_p1.pbm") for p in paths)
    for source, target in zip(paths, out):
        if not target.exists():
            io.write_pbm(target, io.read_matrix(source), plain=True)
    return out


def sweep_config(work: Path) -> Path:
    path = work / "sweep.yaml"
    path.write_text("name: bench\nshapes: [{N: 16384}]\nk: [64]\ninputs: [{generator: uniform}]\nseeds: 4\n")
    return path


def degree_files(work: Path, M: int, E: int, kind: str = "npy") -> tuple[Path, Path]:  # noqa: N803
    """Sources with 0..256 ones (at most E), targets sized so the ones on both sides agree on average."""
    rng = np.random.default_rng(M ^ E)
    s = rng.integers(0, min(E, 256) + 1, M)
    t = rng.integers(0, min(M, 2 * int(s.sum()) // E) + 1, E)
    paths = work / f"s{M}x{E}.{kind}", work / f"t{M}x{E}.{kind}"
    for path, values in zip(paths, (s, t)):
        if not path.exists():
            if kind == "npy":
                np.save(path, values)
            else:
                path.write_text("\n".join(map(str, values)) + "\n")
    return paths


def cases(work: Path, quick: bool):
    """(label, argv) pairs; inputs are made on first use."""
    out = work / "r.npy"
    big = [] if quick else [
        ("route degrees M=2^20 E=2^16 k=64", lambda: ["route", "--degrees", *degree_files(work, 2**20, 2**16), "-k", 64, "--out", out]),
        ("route P4 N=16384 dense k=64", lambda: ["route", *gen(work, "uniform", "16384", ("d16k_S.pbm", "d16k_T.pbm")), "-k", 64, "--out", out]),
        ("route P4 N=16384 sparse k=64 --pbm", lambda: ["route", *gen(work, "uniform", "16384", ("s16k_S.pbm", "s16k_T.pbm"), "--density", "0.01"), "-k", 64, "--pbm", work / "o.pbm"]),
        ("route degrees M=2^20 E=2^16 k=64 --csv", lambda: ["route", "--degrees", *degree_files(work, 2**20, 2**16), "-k", 64, "--out", work / "r.csv"]),
        ("route text degrees M=2^20 E=2^16 k=64", lambda: ["route", "--degrees", *degree_files(work, 2**20, 2**16, "txt"), "-k", 64, "--out", out]),
        ("route NPY N=8192 dense k=64", lambda: ["route", *gen(work, "uniform", "8192", ("d8k_S.npy", "d8k_T.npy")), "-k", 64, "--out", out]),
        ("route degrees M=2^18 E=2^10 k=64 greedy", lambda: ["route", "--degrees", *degree_files(work, 2**18, 2**10), "-k", 64, "--select", "greedy", "--out", out]),
        ("route degrees M=2^18 E=2^10 k=64 balanced", lambda: ["route", "--degrees", *degree_files(work, 2**18, 2**10), "-k", 64, "--select", "balanced", "--out", out]),
        ("gen exact-k 8192x8192 P4", lambda: ["gen", "exact-k", "--shape", "8192", "--out", work / "g_S.pbm", work / "g_T.pbm"]),
        ("gen uniform 8192x8192 P4", lambda: ["gen", "uniform", "--shape", "8192", "--out", work / "g_S.pbm", work / "g_T.pbm"]),
        ("evaluate --quick", lambda: ["evaluate", "--quick", "--force", "--out", work / "evaluation"]),
    ]
    small = [
        ("route degrees M=2^16 E=2^16 k=64", lambda: ["route", "--degrees", *degree_files(work, 2**16, 2**16), "-k", 64, "--out", out]),
        ("route P4 N=4096 dense k=64 --stats", lambda: ["route", *gen(work, "uniform", "4096", ("d4k_S.pbm", "d4k_T.pbm")), "-k", 64, "--out", out, "--stats", work / "st.json"]),
        ("route P1 N=2048 k=64", lambda: ["route", *plain(gen(work, "uniform", "2048", ("d2k_S.pbm", "d2k_T.pbm"))), "-k", 64, "--out", out]),
        ("route P4 N=4096 mask k=64", lambda: ["route", *gen(work, "uniform", "4096", ("d4k_S.pbm", "d4k_T.pbm")), "-k", 64, "--candidates", "mask", "--out", out]),
        ("route degrees M=2^14 E=2^10 k=16 optimal", lambda: ["route", "--degrees", *degree_files(work, 2**14, 2**10), "-k", 16, "--select", "optimal", "--out", out]),
        ("gen uniform 4096x4096 NPY", lambda: ["gen", "uniform", "--shape", "4096", "--out", work / "g_S.npy", work / "g_T.npy"]),
        ("capacity N=1024 default seeds", lambda: ["capacity", *gen(work, "uniform", "1024", ("d1k_S.pbm", "d1k_T.pbm")), "-k", 64]),
        ("suggest-k N=1024", lambda: ["suggest-k", *gen(work, "uniform", "1024", ("d1k_S.pbm", "d1k_T.pbm")), "--target-skew", "1.5"]),
        ("compare-hash scenario 1024x1024 20 seeds", lambda: ["compare-hash", "--scenario", "uniform", "--shape", "1024x1024", "-k", 64]),
        ("sweep N=16384 k=64, 4 seeds", lambda: ["sweep", sweep_config(work), "--out", work / "sweep"]),
        ("plot of that sweep", lambda: ["plot", work / "sweep"]),
        ("dump-pbm N=1024", lambda: ["dump-pbm", *gen(work, "uniform", "1024", ("d1k_S.pbm", "d1k_T.pbm")), "-k", 16, "--out", work / "dump", "--no-png"]),
    ]
    return big + small


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the small cases")
    parser.add_argument("--only", default="", help="only cases whose label contains this")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, make in cases(work, args.quick):
            if args.only not in label:
                continue
            argv = [str(a) for a in make()]
            result = probe(argv, cwd=tmp)
            if result.returncode != 0 or not result.estimates:
                rows.append({"case": label, "error": result.stderr.strip()[-300:], "returncode": result.returncode})
            else:
                last = result.estimates[-1]
                rows.append({"case": label, "command": argv[0], "estimate_mib": round(result.estimate / 2**20, 1),
                             "peak_rss_mib": round(result.peak_rss / 2**20, 1), "ratio": round(result.ratio, 3),
                             "parts_mib": {k: round(v / 2**20, 1) for k, v in last["parts"].items()}})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"machine": platform.machine(), "python": platform.python_version(), "cases": rows}, indent=2))


if __name__ == "__main__":
    main()

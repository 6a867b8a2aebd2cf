"""Scale benchmark: prints one JSON document (python benchmarks/bench_scale.py [--help]).

Shapes: the MoE shape M = 2^20 tokens, E = 1024 experts, k = 8, s_i = E,
t_j = ceil(1.25 * k * M / E) (capacity factor 1.25); square N = 16384 and 65536 at density 0.5
with k = 1024; sparse targets E = 2^20 with s_i = 16 (M = 2^16, t_j = M/2, k = 8); and the
memory check M = 2^20, E = 2^16, k = 8 at density 0.5. Also: degrees read from a 65536 x 65536
P4 file (512 MiB), with its peak RSS.

For each shape and each strategy (dense, sparse, auto) a fresh subprocess routes it and reports
the best wall time of its repetitions (prepare + route, output array included), routes per
second, the strategy auto chose for how many rows, and peak RSS from wait4(); `extra_rss_mib` is
the peak minus the process's RSS before routing minus the output array. A strategy whose cost
model estimate exceeds --max-seconds is not run and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys

SHAPES = {
    "moe_2^20x1024_k8": dict(M=2**20, E=1024, k=8, s="full", t="capacity"),
    "square_16384_k1024": dict(M=16384, E=16384, k=1024, s="half", t="half"),
    "square_65536_k1024": dict(M=65536, E=65536, k=1024, s="half", t="half"),
    "sparse_targets_E2^20_s16": dict(M=2**16, E=2**20, k=8, s="16", t="half"),
    "memory_2^20x2^16_k8": dict(M=2**20, E=2**16, k=8, s="half", t="half"),
}
# Per-row costs of core_cpp/ring/router.cpp's cost model (ns), used only to skip hopeless runs.
SPARSE_NS_PER_ARC_BIT = 6.0
DENSE_NS_PER_WORD = 0.9

CHILD = r"""
import json, math, resource, sys, time
import numpy as np
import phase_router as pr
spec, strategy, reps = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
M, E, k = spec["M"], spec["E"], spec["k"]
rng = np.random.default_rng(12345)
s = {"full": lambda: np.full(M, E), "half": lambda: rng.binomial(E, 0.5, M), "16": lambda: np.full(M, 16)}[spec["s"]]()
t = {"capacity": lambda: np.full(E, math.ceil(1.25 * k * M / E)), "half": lambda: rng.binomial(M, 0.5, E)}[spec["t"]]()
s, t = s.astype(np.uint32), t.astype(np.uint32)
before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
for _ in range(reps):
    start = time.perf_counter()
    router = pr.Router(s, t, k, seed=1, strategy=strategy)
    routes = router.route_rows()
    times.append(time.perf_counter() - start)
    active = int(np.count_nonzero(routes >= 0))
    del routes
print(json.dumps({"seconds": min(times), "active": active, "sparse_rows": router.sparse_rows,
                  "router_memory_bytes": router.memory_bytes, "rss_before_kib": before_kib}))
"""


READ_P4 = r"""
import json, resource, sys, time
from phase_router import io
start = time.perf_counter()
degrees, shape = io.read_row_degrees(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start, "shape": shape, "ones": int(degrees.sum())}))
"""


def read_p4(n: int, workdir: str) -> dict:
    """Write an n x n density-0.5 P4 and measure degrees read from it in a fresh process: the
    reader popcounts 16 MiB chunks, so peak RSS should stay far below the file size."""
    import numpy as np

    path = os.path.join(workdir, f"S{n}.pbm")
    rng = np.random.default_rng(n)
    with open(path, "wb") as handle:
        handle.write(f"P4\n{n} {n}\n".encode())
        for _ in range(0, n, 4096):
            handle.write(rng.integers(0, 256, size=(min(4096, n), n // 8), dtype=np.uint8).tobytes())
    size_mib = os.path.getsize(path) / 2**20
    proc = subprocess.Popen([sys.executable, "-c", READ_P4, path], stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    child = json.loads(proc.stdout.read())
    os.unlink(path)
    return {"shape": f"read_p4_{n}x{n}", "file_mib": round(size_mib, 1), "wall_ms": round(child["seconds"] * 1e3, 1),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "exit_status": status}


def estimate_seconds(spec: dict, strategy: str) -> float:
    """Crude single-core estimate from the cost model, for skipping runs that would take minutes."""
    mean_s = {"full": spec["E"], "half": spec["E"] / 2, "16": 16}[spec["s"]]
    if strategy == "sparse":
        return spec["M"] * mean_s * SPARSE_NS_PER_ARC_BIT * 1e-9
    if strategy == "dense":
        return spec["M"] * (spec["E"] / 64) * DENSE_NS_PER_WORD * 1e-9
    return 0.0


def run(name: str, spec: dict, strategy: str, reps: int, max_seconds: float) -> dict:
    row = {"shape": name, **spec, "strategy": strategy}
    estimate = estimate_seconds(spec, strategy)
    if estimate > max_seconds:
        row["skipped"] = f"cost model estimates {estimate:.0f} s single-core (limit --max-seconds {max_seconds:g})"
        return row
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(spec), strategy, str(reps)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    if status != 0:
        row["error"] = err.strip().splitlines()[-1] if err.strip() else f"exit status {status}"
        return row
    child = json.loads(out)
    output_mib = spec["M"] * spec["k"] * 4 / 2**20
    peak_mib = usage.ru_maxrss / 1024
    row.update(
        wall_ms=round(child["seconds"] * 1e3, 2),
        routes_per_second=round(child["active"] / child["seconds"]),
        sources_per_second=round(spec["M"] / child["seconds"]),
        sparse_rows=child["sparse_rows"],
        router_memory_mib=round(child["router_memory_bytes"] / 2**20, 1),
        peak_rss_mib=round(peak_mib, 1),
        output_mib=round(output_mib, 1),
        extra_rss_mib=round(peak_mib - child["rss_before_kib"] / 1024 - output_mib, 1),
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    parser.add_argument("--strategies", default="dense,sparse,auto")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--max-seconds", type=float, default=20.0, help="skip runs the cost model says take longer")
    parser.add_argument("--read-p4", type=int, default=65536,
                        help="also write an N x N P4 and measure reading its degrees (0: skip)")
    args = parser.parse_args()
    results = [run(name, SHAPES[name], strategy, args.reps, args.max_seconds)
               for name in args.shapes.split(",") for strategy in args.strategies.split(",")]
    for name in args.shapes.split(","):
        timed = {r["strategy"]: r["wall_ms"] for r in results if r["shape"] == name and "wall_ms" in r}
        if "auto" in timed and len(timed) > 1:
            best = min(v for key, v in timed.items() if key != "auto")
            for r in results:
                if r["shape"] == name and r["strategy"] == "auto":
                    r["auto_over_best"] = round(timed["auto"] / best, 3)
    if args.read_p4:
        import tempfile

        with tempfile.TemporaryDirectory() as workdir:
            results.append(read_p4(args.read_p4, workdir))
    print(json.dumps({"benchmark": "scale", "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                      "results": results}, indent=2))


if __name__ == "__main__":
    main()

"""Streaming matrix writer benchmark: prints one JSON document.

For a uniform density-0.5 M x E matrix pair it runs, each in its own subprocess so peak RSS
(ru_maxrss) is the run's own:
  whole_matrices_p4  the registry's uniform generator as whole matrices + write_pbm (the whole
              matrices in memory at once)
  gen_cli_p4  `phase-router gen uniform --shape MxE` (row chunks through io.write_matrix_chunks)
  streamed    io.write_matrix_chunks fed by a fast local chunked generator (NumPy's PCG64: same
              distribution, not gen's bits), to show the writer's own throughput, P4 and NPY
with wall time, peak RSS (and beyond the interpreter's own) and write throughput.
python benchmarks/bench_matrix_writer.py [--shape 1048576x256] [--skip-whole]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap

_STREAMED = textwrap.dedent("""
    import json, resource, sys, time
    import numpy as np
    from phase_router import io
    M, E, fmt, out_S, out_T = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    def uniform(rows, cols, seed):
        rng = np.random.default_rng(seed)
        step = io.chunk_rows(cols)
        for first in range(0, rows, step):
            yield rng.random((min(step, rows - first), cols), dtype=np.float32) < 0.5
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with io.output_batch() as batch:
        s = io.write_matrix_chunks(out_S, (M, E), uniform(M, E, 1), fmt=fmt, batch=batch)
        t = io.write_matrix_chunks(out_T, (E, M), uniform(E, M, 2), fmt=fmt, batch=batch)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak / 1024, "interpreter_rss_mib": base / 1024,
                      "bytes": s.bytes + t.bytes, "ones": s.ones + t.ones}))
""")

_WHOLE = textwrap.dedent("""
    import json, resource, sys, time
    from phase_router import io
    from phase_router.inputs.generators import generate
    M, E, out_S, out_T = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    S, T = generate("uniform", M, E, seed=1)
    with io.output_batch() as batch:
        io.write_pbm(out_S, S, batch=batch)
        io.write_pbm(out_T, T, batch=batch)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak / 1024, "interpreter_rss_mib": base / 1024}))
""")

_CLI = textwrap.dedent("""
    import json, resource, sys, time
    from phase_router.cli import main
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    sys.argv = ["phase-router"] + sys.argv[1:]
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak / 1024, "interpreter_rss_mib": base / 1024}))
""")


def run(script: str, args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="1048576x256")
    parser.add_argument("--skip-whole", action="store_true", help="skip the whole-matrix run (GiBs at large shapes)")
    args = parser.parse_args()
    M, E = (int(x) for x in args.shape.lower().split("x"))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        S, T = os.path.join(tmp, "S"), os.path.join(tmp, "T")
        if not args.skip_whole:
            row = run(_WHOLE, [str(M), str(E), S + ".pbm", T + ".pbm"])
            row["bytes"] = os.path.getsize(S + ".pbm") + os.path.getsize(T + ".pbm")
            results["whole_matrices_p4"] = row
        row = run(_CLI, ["gen", "uniform", "--shape", f"{M}x{E}", "--out", S + ".pbm", T + ".pbm", "--seed", "1"])
        row["bytes"] = os.path.getsize(S + ".pbm") + os.path.getsize(T + ".pbm")
        results["gen_cli_p4"] = row
        for fmt in ("pbm", "npy"):
            results[f"streamed_{'p4' if fmt == 'pbm' else fmt}"] = run(_STREAMED, [str(M), str(E), fmt, f"{S}.{fmt}", f"{T}.{fmt}"])
    for row in results.values():
        row["write_mib_per_s"] = round(row["bytes"] / 2**20 / row["seconds"], 1)
        row["beyond_interpreter_mib"] = round(row["peak_rss_mib"] - row["interpreter_rss_mib"], 1)
        for key in ("seconds", "peak_rss_mib", "interpreter_rss_mib"):
            row[key] = round(row[key], 3 if key == "seconds" else 1)
    print(json.dumps({"benchmark": "matrix_writer", "shape": [M, E], "cpus": os.cpu_count(),
                      "platform": platform.platform(), "results": results}, indent=2))


if __name__ == "__main__":
    main()

"""How far the routing kernel is from the memory-bandwidth floor (docs/WHY_CPU.md). Prints JSON.

For each shape it measures, in one run on this machine:
  write_gbps   bandwidth of filling a reused int32 array of the routes' size (np.ndarray.fill,
               the cheapest way to write those bytes; the floor for producing the output)
  read_gbps    bandwidth of summing a uint64 array of the same size
  kernel_ms    the routing into a reused output array (route_degrees(..., out=buffer)), all cores
  kernel_1t_ms the same on one thread (robust when other processes share the cores)
  floor_ms     output bytes / write bandwidth: no router can write its routes faster
  routes_per_s routes written per second by the kernel
Medians of --repeats runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform

import numpy as np

import phase_router as pr
from bench_route import median_ms  # the benchmarks' one timing rule: warm-up, then the median

SHAPES = [  # (label, M, E, k, s, t)
    ("square N=4096 density 0.5 k=512", 4096, 4096, 512, "half", "half"),
    ("square N=16384 density 0.5 k=1024", 16384, 16384, 1024, "half", "half"),
    ("MoE 2^20 tokens x 1024 experts top-8", 1 << 20, 1024, 8, "full", "whole"),
]


def degrees(M: int, E: int, k: int, s_kind: str, t_kind: str):
    from phase_router.inputs import whole_wrap_capacities

    s = np.full(M, E if s_kind == "full" else E // 2, dtype=np.uint32)
    t = whole_wrap_capacities(M, E, k, 1.0) if t_kind == "whole" else np.full(E, M // 2, dtype=np.uint32)
    return s, t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rows = []
    load_before = os.getloadavg()
    for label, M, E, k, s_kind, t_kind in SHAPES:
        s, t = degrees(M, E, k, s_kind, t_kind)
        out = np.empty((M, k), dtype=np.int32)
        nbytes = out.nbytes
        write_ms = median_ms(lambda: out.fill(-1), args.repeats)
        source = np.ones(nbytes // 8, dtype=np.uint64)
        read_ms = median_ms(lambda: source.sum(), args.repeats)
        kernel_ms = median_ms(lambda: pr.route_degrees(s, t, k, seed=1, out=out), args.repeats)
        kernel_1t_ms = median_ms(lambda: pr.route_degrees(s, t, k, seed=1, out=out, threads=1), args.repeats)
        routes = int(np.count_nonzero(out >= 0))
        write_gbps = nbytes / write_ms / 1e6
        rows.append({"shape": label, "M": M, "E": E, "k": k, "output_mib": nbytes / 2**20,
                     "write_gbps": round(write_gbps, 2), "read_gbps": round(nbytes / read_ms / 1e6, 2),
                     "kernel_ms": round(kernel_ms, 3), "kernel_1t_ms": round(kernel_1t_ms, 3), "floor_ms": round(write_ms, 3),
                     "kernel_over_floor": round(kernel_ms / write_ms, 1), "routes": routes,
                     "routes_per_s": round(routes / kernel_ms * 1e3)})
    print(json.dumps({"machine": {"cpu": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
                                  "openmp": pr._has_openmp,
                                  "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)]},
                      "repeats": args.repeats, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()

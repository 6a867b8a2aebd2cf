"""Balance benchmark (make bench-balance): every scenario x every router, in one run. Prints one
JSON document; with --markdown FILE also writes the table README's load-balance section shows.

Like for like: every router gives source i the same number of routes, r_i = min(k, c_i) (the
phase router's own count: c_i its candidates under the phase construction). The phase policies
(random, greedy, balanced, optimal) pick from those same candidates; the baselines pick from all
E targets (hash: uniform; hash-weighted: in proportion to t_j; two-choice: sequential, global
loads). Every policy also runs on every other candidate source that needs only row sums
(hash-candidates-*: each source's min(s_i, P) targets drawn in proportion to t_j): those keep
min(k, c_i) of their own candidates, so their route count is theirs, not the phase router's; the
table shows that fill (routes / the phase router's routes) wherever it is not 1. Reported per router: max/mean column load and max L_j/t_j (mean over seeds, with the
min-max over seeds), fill, and the median time of one routing. `optimal` is the yardstick: the
smallest max load any selection of r_i of each row's candidates can have (proven by max-flow).

--speed instead times select="balanced" against select="random" in every regime: dense, c_i
near k, sparse, heavy-tailed degrees, degree laws balanced was never tuned on, and MoE (the
M = 2^20 MoE shapes with --large). Every rep draws its inputs with a fresh seed. Each rep routes
with both policies back to back (alternating which goes first), so a machine loaded by others
slows both alike, and the ratio is taken rep by rep. Reported per shape and thread count: median
ms of each policy and the median and range of the per-rep ratios, both for the whole call (Router
preparation + selection, what a user pays) and for the selection alone on a prepared Router, and
whether the whole call's median ratio is within the budget (3x).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np

import phase_router as pr
from phase_router.analysis.metrics import max_over_mean
from phase_router.analysis.routers import SELECTION_ROUTERS
from phase_router.analysis.like_for_like import phase_counts, route
from phase_router.errors import ResourceLimitError
from phase_router.inputs import degrees, whole_wrap_capacities


def scenario(kind: str, M: int, E: int, k: int, **params):
    return lambda: degrees(kind, M, E, k=k, seed=0, **params)


def moe(M: int, E: int, k: int, rule: str):
    def make():
        if rule == "t=M":
            return np.full(M, E), np.full(E, M)
        if rule == "whole":
            return np.full(M, E), whole_wrap_capacities(M, E, k, 1.25)
        return degrees("moe", M, E, k=k, seed=0)  # ceil(1.25 k M / E): the wrap-count trap
    return make


SCENARIOS = [
    ("dense N=1024 k=16", scenario("uniform", 1024, 1024, 16), 16),
    ("dense N=1024 k=64", scenario("uniform", 1024, 1024, 64), 64),
    ("dense N=1024 k=256", scenario("uniform", 1024, 1024, 256), 256),
    ("dense N=4096 k=512", scenario("uniform", 4096, 4096, 512), 512),
    ("sparse (density 0.02) N=2048 k=8", scenario("uniform", 2048, 2048, 8, density=0.02), 8),
    ("bimodal N=1024 k=64", scenario("bimodal", 1024, 1024, 64), 64),
    ("bands N=1024 k=16", scenario("bands", 1024, 1024, 16), 16),
    ("uniform-1-k N=1024 k=64", scenario("uniform-1-k", 1024, 1024, 64), 64),
    ("power-law N=1024 k=32", scenario("power-law", 1024, 1024, 32), 32),
    ("rectangular 8192x256 k=16", scenario("uniform", 8192, 256, 16), 16),
    ("adversarial N=1024 k=64", scenario("adversarial", 1024, 1024, 64), 64),
    ("MoE 4096x64 k=2, t=M", moe(4096, 64, 2, "t=M"), 2),
    ("MoE 4096x64 k=2, t=ceil(1.25kM/E)", moe(4096, 64, 2, "ceil"), 2),
    ("MoE 4096x64 k=2, whole-wrap t", moe(4096, 64, 2, "whole"), 2),
    ("MoE 2^20x1024 k=8, whole-wrap t", moe(1 << 20, 1024, 8, "whole"), 8),
]
LARGE = {"MoE 2^20x1024 k=8, whole-wrap t"}  # minutes (greedy, optimal): only with --large
QUICK = {"dense N=1024 k=64", "dense N=1024 k=256", "bimodal N=1024 k=64", "MoE 4096x64 k=2, t=M"}


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - start) * 1e3


def run_router(name: str, s, t, k: int, seed: int, counts):
    """The like-for-like rule of compare-hash (analysis/like_for_like.py), baselines over all E."""
    return route(name, s, t, k, seed, counts, "all")


def measure(label: str, make, k: int, seeds: range, routers: list[str]) -> dict:
    s, t = make()
    s, t = np.asarray(s, dtype=np.uint32), np.asarray(t, dtype=np.uint32)
    out = {"scenario": label, "M": int(s.size), "E": int(t.size), "k": k, "routers": {}}
    for name in routers:
        raw, rel, fill, ms = [], [], [], []
        for seed in seeds:
            counts = phase_counts(s, t, k, seed)
            try:
                routes, elapsed = timed(lambda: run_router(name, s, t, k, seed, counts))
            except ResourceLimitError as exc:
                out["routers"][name] = {"skipped": str(exc)}
                break
            loads = pr.routing.stats.column_loads(routes, t.size).astype(np.float64)
            active = loads.sum()
            raw.append(max_over_mean(loads))
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(t > 0, loads / np.maximum(t, 1), 0.0)
            rel.append(float(ratio.max() / (active / t.sum())) if active else 0.0)
            fill.append(float(active / counts.sum()) if counts.sum() else 1.0)
            ms.append(elapsed)
        else:
            out["routers"][name] = {
                "max_over_mean": float(np.mean(raw)), "max_over_mean_range": [float(min(raw)), float(max(raw))],
                "relative_max_over_mean": float(np.mean(rel)), "fill_vs_phase": float(np.mean(fill)),
                "ms_median": float(statistics.median(ms)),
            }
    return out


def lognormal_degrees(N: int, k: int, seed: int):
    """A degree law no part of balanced was tuned on: s and t lognormal (sigma 1), scaled to a
    mean of N / 4 and clipped to [1, N]."""
    rng = np.random.default_rng([seed, N, k])
    draw = lambda: np.clip(np.rint(rng.lognormal(0.0, 1.0, N) * (N / 4) / np.exp(0.5)), 1, N).astype(np.uint32)
    return draw(), draw()


def fresh(kind: str, M: int, E: int, k: int, **params):
    """Degrees drawn afresh for each rep's seed, so no rep reuses another's input."""
    return lambda seed: degrees(kind, M, E, k=k, seed=seed, **params)


# (regime, label, make(seed) -> (s, t), k, large); every rep draws its inputs with a fresh seed
SPEED_SHAPES = [
    ("dense", "dense N=1024 k=16", fresh("uniform", 1024, 1024, 16), 16, False),
    ("dense", "dense N=1024 k=64", fresh("uniform", 1024, 1024, 64), 64, False),
    ("dense", "dense N=4096 k=512", fresh("uniform", 4096, 4096, 512), 512, False),
    ("c_i near k", "dense N=1024 k=256", fresh("uniform", 1024, 1024, 256), 256, False),
    ("c_i near k", "dense N=4096 k=1024", fresh("uniform", 4096, 4096, 1024), 1024, False),
    ("sparse", "sparse (density 0.02) N=2048 k=8", fresh("uniform", 2048, 2048, 8, density=0.02), 8, False),
    ("heavy-tailed", "power-law N=4096 k=64", fresh("power-law", 4096, 4096, 64), 64, False),
    ("heavy-tailed", "bimodal N=1024 k=64", fresh("bimodal", 1024, 1024, 64), 64, False),
    ("not tuned on", "lognormal N=2048 k=64", lambda seed: lognormal_degrees(2048, 64, seed), 64, False),
    ("not tuned on", "exact-k N=2048 k=64", fresh("exact-k", 2048, 2048, 64), 64, False),
    ("MoE", "MoE 65536x256 k=8, t=M", lambda seed: moe(1 << 16, 256, 8, "t=M")(), 8, False),
    ("MoE", "MoE 65536x256 k=8, whole-wrap t", lambda seed: moe(1 << 16, 256, 8, "whole")(), 8, False),
    ("MoE", "MoE 2^20x1024 k=8, t=M", lambda seed: moe(1 << 20, 1024, 8, "t=M")(), 8, True),
    ("MoE", "MoE 2^20x1024 k=8, whole-wrap t", lambda seed: moe(1 << 20, 1024, 8, "whole")(), 8, True),
]
BUDGET = 3.0  # balanced may take at most this many times random's time, in every regime


def speed(reps: int, thread_counts: list[int], large: bool) -> list[dict]:
    """Interleaved balanced-vs-random timings (see the module docstring)."""
    from phase_router.routing.router import Router

    results = []
    for regime, label, make, k, is_large in SPEED_SHAPES:
        if is_large and not large:
            continue
        for threads in thread_counts:
            whole = {"random": [], "balanced": []}
            select_only = {"random": [], "balanced": []}
            for rep in range(reps + 1):  # rep 0 warms up (page faults, thread pool) and is dropped
                s, t = (np.asarray(x, dtype=np.uint32) for x in make(1000 + rep))
                order = ["random", "balanced"] if rep % 2 else ["balanced", "random"]
                for policy in order:
                    start = time.perf_counter()
                    router = Router(s, t, k, seed=rep, select=policy)
                    router.route_rows(threads=threads)
                    middle = time.perf_counter()
                    router.route_rows(threads=threads)  # the same routing again on the prepared Router
                    if rep:
                        whole[policy].append((middle - start) * 1e3)
                        select_only[policy].append((time.perf_counter() - middle) * 1e3)
            entry = {"regime": regime, "shape": label, "M": int(s.size), "E": int(t.size), "k": k,
                     "threads": threads, "reps": reps}
            for name, times in (("whole", whole), ("select", select_only)):
                ratios = [b / r for b, r in zip(times["balanced"], times["random"])]
                entry[name] = {
                    "random_ms_median": round(statistics.median(times["random"]), 3),
                    "balanced_ms_median": round(statistics.median(times["balanced"]), 3),
                    "ratio_median": round(statistics.median(ratios), 3),
                    "ratio_range": [round(min(ratios), 3), round(max(ratios), 3)],
                }
            entry["within_budget"] = entry["whole"]["ratio_median"] <= BUDGET
            results.append(entry)
    return results


def markdown(results: list[dict], routers: list[str]) -> str:
    head = "| scenario | " + " | ".join(routers) + " |\n|---|" + "---:|" * len(routers) + "\n"
    lines = []
    for entry in results:
        cells = []
        for name in routers:
            row = entry["routers"].get(name, {})
            fill = row.get("fill_vs_phase", 1.0)
            shown_fill = f"<br>fill {fill:.2f}x" if abs(fill - 1.0) > 0.005 else ""
            cells.append("n/a" if "max_over_mean" not in row else
                         f"{row['max_over_mean']:.3f} / {row['relative_max_over_mean']:.3f}<br>{row['ms_median']:.1f} ms"
                         + shown_fill)
        lines.append(f"| {entry['scenario']} | " + " | ".join(cells) + " |")
    return head + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="four small scenarios (for tests)")
    parser.add_argument("--markdown", help="also write the Markdown table here")
    parser.add_argument("--large", action="store_true", help="also the M = 2^20 MoE shapes (minutes)")
    parser.add_argument("--speed", action="store_true",
                        help="instead: balanced vs random time at the budget shapes (interleaved)")
    parser.add_argument("--reps", type=int, default=15, help="--speed: timed reps per shape and thread count")
    parser.add_argument("--threads", default="1,2", help="--speed: comma-separated thread counts (0: OpenMP's default)")
    args = parser.parse_args()
    if args.speed:
        counts = [int(x) for x in args.threads.split(",")]
        print(json.dumps({"version": pr.__version__, "machine": platform.machine(), "cpus": os.cpu_count(),
                          "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
                          "budget": BUDGET, "speed": speed(args.reps, counts, args.large)}, indent=2))
        return
    routers = SELECTION_ROUTERS + ["hash", "hash-weighted", "two-choice"]
    chosen = [x for x in SCENARIOS if (not args.quick or x[0] in QUICK) and (args.large or x[0] not in LARGE)]
    results = [measure(label, make, k, range(args.seeds), routers) for label, make, k in chosen]
    document = {"version": pr.__version__, "machine": platform.machine(), "cpus": os.cpu_count(),
                "seeds": args.seeds, "routers": routers, "results": results}
    print(json.dumps(document, indent=2))
    if args.markdown:
        with open(args.markdown, "w") as handle:
            handle.write(markdown(results, routers))


if __name__ == "__main__":
    main()

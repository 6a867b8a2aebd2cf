"""The phase-vs-hash stress test: the two experiments of the original
(TSltd/bitpacked_phase_router), rerun as they were, next to
this project's like-for-like comparisons.

1. **single-phase** (the original's single-phase sweep): N x N inputs whose row counts are
   uniform in 1..k, for each k. Routers: `phase` (on the matrices, as the original routed them),
   `hash-original` (the original's hash router: k random targets of S[i] AND T[i] of the raw
   matrices, baselines/hash_original.py), and this project's fair baselines given the phase
   router's own route counts r_i = min(k, c_i) per source (like for like: `hash` uniform over the
   targets, `hash-weighted` in proportion to t_j).
2. **two-phase-original** (the original's adversarial construction, inputs/two_phase_original.py):
   each router routes exact-k matrices, S2 is built from *its own* phase-1 routes hashed into 128
   buckets, T2 is fresh exact-k, and phase 2 is measured. `phase` and `hash-original` each run
   the whole construction; the fair baselines take the phase router's phase-2 degrees and counts.
3. **adversarial** (this project's two-phase input, routed_inputs.py: S2 = phase-1 routing
   matrix) and **uniform density 0.5** (the original's headline case): degrees only, like for
   like: `phase`, `phase-greedy`, `hash`, `hash-weighted`, `two-choice`.

Each (scenario, k) runs on the same seeds for every router; the per-seed max/mean column loads
give paired verdicts (phase against each baseline) with a distribution-free interval
(analysis/intervals.py). Times are wall clock per routing on one thread on this machine (the
phase router's from the matrices: row sums plus the kernel); `hash-original` is a NumPy
definition (no C++ kernel), so its times are not a speed comparison.
"""

from __future__ import annotations

import csv
import io as _io
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import _core
from ..analysis.metrics import max_over_mean
from ..analysis.routers import DEFAULT_ROUTER, ROUTERS
from ..baselines import hash_route, two_choice_route
from ..baselines.hash_original import hash_route_original
from ..inputs import degrees, realise
from ..inputs.two_phase_original import second_phase_S, second_phase_T
from ..analysis.intervals import paired_verdict
from .jsonable import dumps

SECOND_PHASE = 2**63  # phase 2 routes with seed + 2^63 (mod 2^64): never one of the first phase's seeds


@dataclass(frozen=True)
class StressPlan:
    N: int
    ks: tuple[int, ...]
    seeds: int
    N_degrees: int  # the degree-only scenarios (3.)
    ks_degrees: tuple[int, ...]


FULL = StressPlan(N=2048, ks=(16, 64, 256, 1024), seeds=10, N_degrees=4096, ks_degrees=(64, 256))
QUICK = StressPlan(N=1024, ks=(16, 64, 256), seeds=6, N_degrees=1024, ks_degrees=(64, 256))


def _timed(fn):
    started = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - started) * 1e3


def _loads(routes: np.ndarray, E: int) -> np.ndarray:
    return _core.route_summary(routes, E, 1)[2]  # one thread: no parallel region for a small summary


def _record(scenario: str, k: int, seed: int, router: str, routes: np.ndarray, ms: float, N_targets: int) -> dict:
    loads = _loads(routes, N_targets)
    active = int(loads.sum())
    return {"scenario": scenario, "k": k, "seed": seed, "router": router,
            "max_over_mean": max_over_mean(loads), "load_max": int(loads.max()), "load_mean": float(loads.mean()),
            "load_std": float(loads.std()), "fill": active / (routes.shape[0] * k), "active_routes": active,
            "empty_targets": int(np.count_nonzero(loads == 0)), "ms": ms}


def _phase_matrices(S, T, k, seed):
    # From the matrices as the original routed them: the row sums, then the kernel (one thread).
    s, t = S.sum(axis=1, dtype=np.uint32), T.sum(axis=1, dtype=np.uint32)
    return ROUTERS["phase"](s, t, k, seed, 1)


def _fair_baselines(s, t, k: int, seed: int, counts: np.ndarray, with_two_choice: bool) -> dict:
    """The baselines given the phase router's own route counts (like for like)."""
    out = {}
    out["hash"] = _timed(lambda: hash_route(s, t, k, seed=seed, counts=counts, threads=1).routes)
    weighted = np.minimum(counts, np.count_nonzero(t))
    out["hash-weighted"] = _timed(lambda: hash_route(s, t, k, seed=seed, weighted=True, counts=weighted, threads=1).routes)
    if with_two_choice:
        out["two-choice"] = _timed(lambda: two_choice_route(s, t, k, seed=seed, counts=counts).routes)
    return out


def _counts(routes: np.ndarray) -> np.ndarray:
    return np.count_nonzero(routes >= 0, axis=1).astype(np.uint32)


def single_phase(plan: StressPlan, loads_out: dict) -> list[dict]:
    records = []
    N = plan.N
    for k in plan.ks:
        for seed in range(plan.seeds):
            S, T = realise("uniform-1-k", N, N, k=k, seed=seed).matrices()
            s, t = S.sum(axis=1).astype(np.uint32), T.sum(axis=1).astype(np.uint32)
            phase, ms = _timed(lambda: _phase_matrices(S, T, k, seed))
            runs = {"phase": (phase, ms), "hash-original": _timed(lambda: hash_route_original(S, T, k, seed=seed))}
            runs.update(_fair_baselines(s, t, k, seed, _counts(phase), with_two_choice=False))
            for name, (routes, elapsed) in runs.items():
                records.append(_record("single-phase", k, seed, name, routes, elapsed, N))
                if seed == 0:
                    loads_out[("single-phase", k, name)] = _loads(routes, N)
    return records


def two_phase_original(plan: StressPlan, loads_out: dict) -> list[dict]:
    records = []
    N = plan.N
    routers = {"phase": _phase_matrices, "hash-original": lambda S, T, k, seed: hash_route_original(S, T, k, seed=seed)}
    for k in plan.ks:
        for seed in range(plan.seeds):
            S1, T1 = realise("exact-k", N, N, k=k, seed=seed).matrices()
            T2 = second_phase_T(N, N, k, seed)
            seed2 = (seed + SECOND_PHASE) % 2**64
            phase2 = None
            for name, fn in routers.items():
                routes1, ms1 = _timed(lambda: fn(S1, T1, k, seed))
                S2 = second_phase_S(routes1, N, k, seed)
                routes2, ms2 = _timed(lambda: fn(S2, T2, k, seed2))
                record = _record("two-phase-original", k, seed, name, routes2, ms2, N)
                record.update(phase1_ms=ms1, phase1_max_over_mean=max_over_mean(_loads(routes1, N)),
                              total_ms=ms1 + ms2)
                records.append(record)
                if seed == 0:
                    loads_out[("two-phase-original", k, name)] = _loads(routes2, N)
                if name == DEFAULT_ROUTER:
                    phase2 = (S2.sum(axis=1).astype(np.uint32), T2.sum(axis=1).astype(np.uint32), routes2)
            s2, t2, routes2 = phase2
            for name, (routes, elapsed) in _fair_baselines(s2, t2, k, seed2, _counts(routes2), True).items():
                records.append(_record("two-phase-original", k, seed, name, routes, elapsed, N))
    return records


def degree_scenarios(plan: StressPlan, loads_out: dict) -> list[dict]:
    records = []
    N = plan.N_degrees
    scenarios = [("adversarial", {}), ("uniform", {"density": 0.5})]
    for kind, params in scenarios:
        label = kind if kind == "adversarial" else "uniform-0.5"
        for k in plan.ks_degrees:
            for seed in range(plan.seeds):
                s, t = degrees(kind, N, N, k=k, seed=seed, **params)
                phase, ms = _timed(lambda: ROUTERS["phase"](s, t, k, seed, 1))
                runs = {"phase": (phase, ms), "phase-greedy": _timed(lambda: ROUTERS["phase-greedy"](s, t, k, seed, 1))}
                runs.update(_fair_baselines(s, t, k, seed, _counts(phase), with_two_choice=True))
                for name, (routes, elapsed) in runs.items():
                    records.append(_record(label, k, seed, name, routes, elapsed, N))
                    if seed == 0:
                        loads_out[(label, k, name)] = _loads(routes, N)
    return records


BASELINES_TO_JUDGE = ("hash-original", "hash", "hash-weighted", "two-choice", "phase-greedy")


def verdicts(records: list[dict]) -> list[dict]:
    """Per (scenario, k): phase against every other router on the same seeds."""
    by: dict[tuple, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    for r in records:
        by[(r["scenario"], r["k"])][r["router"]][r["seed"]] = r["max_over_mean"]
    out = []
    for (scenario, k), routers in by.items():
        seeds = sorted(routers["phase"])
        for other in BASELINES_TO_JUDGE:
            if other not in routers:
                continue
            a = [routers["phase"][x] for x in seeds]
            b = [routers[other][x] for x in seeds]
            v = paired_verdict(a, b, "phase", other)
            out.append({"scenario": scenario, "k": k, **v})
    return out


def run_stress(out_dir: Path, quick: bool) -> dict:
    plan = QUICK if quick else FULL
    out_dir.mkdir(parents=True, exist_ok=True)
    loads: dict[tuple, np.ndarray] = {}
    records = single_phase(plan, loads) + two_phase_original(plan, loads) + degree_scenarios(plan, loads)
    judged = verdicts(records)
    _write_tables(out_dir, records, judged, plan)
    pictures = draw(out_dir, records, loads, plan)
    return {"plan": plan.__dict__, "records": records, "verdicts": judged, "plots": pictures}


FIELDS = ["scenario", "k", "seed", "router", "max_over_mean", "load_max", "load_mean", "load_std", "fill",
          "active_routes", "empty_targets", "ms", "phase1_ms", "phase1_max_over_mean", "total_ms"]


def _write_tables(out_dir: Path, records: list[dict], judged: list[dict], plan: StressPlan) -> None:
    buffer = _io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, restval="")
    writer.writeheader()
    writer.writerows(records)
    (out_dir / "results.csv").write_text(buffer.getvalue(), encoding="utf-8")
    (out_dir / "results.json").write_text(dumps(
        {"schema": "phase-router-stress/1", "plan": plan.__dict__, "records": records, "verdicts": judged}),
        encoding="utf-8")
    (out_dir / "verdicts.csv").write_text(_verdicts_csv(judged), encoding="utf-8")


def _verdicts_csv(judged: list[dict]) -> str:
    buffer = _io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["scenario", "k", "baseline", "outcome", "phase_median", "baseline_median",
                     "difference_median", "difference_low", "difference_high", "level", "seeds"])
    for v in judged:
        d = v["difference"]
        writer.writerow([v["scenario"], v["k"], v["b"], v["outcome"], v["a_median"]["median"],
                         v["b_median"]["median"], d["median"], d["low"], d["high"], d["level"], d["n"]])
    return buffer.getvalue()


def summary_table(records: list[dict]) -> str:
    """Markdown: per scenario, k and router the median over seeds of max/mean, max load, fill, ms."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in records:
        groups[(r["scenario"], r["k"], r["router"])].append(r)
    lines = ["| scenario | k | router | max/mean (median) | max load | fill | ms (median) |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for (scenario, k, router), rs in groups.items():
        med = lambda key: float(np.median([r[key] for r in rs]))  # noqa: E731
        time_key = "total_ms" if "total_ms" in rs[0] else "ms"
        lines.append(f"| {scenario} | {k} | {router} | {med('max_over_mean'):.3f} | {med('load_max'):.0f} | "
                     f"{med('fill'):.4f} | {med(time_key):.2f} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- pictures


def draw(out_dir: Path, records: list[dict], loads: dict, plan: StressPlan) -> list[str]:
    from .._internal.optional import require

    require("matplotlib", "plot", "drawing the stress test's plots")
    from matplotlib.figure import Figure  # the object API: no pyplot global state
    written = []
    for (scenario, k) in dict.fromkeys((key[0], key[1]) for key in loads):
        routers = [key[2] for key in loads if key[0] == scenario and key[1] == k]
        shown = [r for r in (DEFAULT_ROUTER, "hash-original", "hash", "hash-weighted") if r in routers]
        figure = Figure(figsize=(4.2 * len(shown), 4.2), layout="constrained")
        axes = figure.subplots(1, len(shown), squeeze=False)[0]
        high = max(int(loads[(scenario, k, r)].max()) for r in shown)
        bins = np.arange(0, high + 2) - 0.5 if high <= 120 else np.linspace(-0.5, high + 0.5, 81)
        for ax, name in zip(axes, shown):
            x = loads[(scenario, k, name)]
            ax.hist(x, bins=bins, color="#3b6ea8" if name.startswith("phase") else "#b5523b")
            ax.set_yscale("log")
            ax.set_xlabel("column load (routes per target)")
            ax.set_ylabel("targets (log scale)")
            ax.set_title(f"{name}: max/mean {max_over_mean(x):.2f}, max {int(x.max())}", fontsize="medium")
            ax.grid(True, axis="y", alpha=0.3)
        N = plan.N if scenario in ("single-phase", "two-phase-original") else plan.N_degrees
        figure.suptitle(f"{scenario}, N = {N}, k = {k}, seed 0: column loads (same x-axis in every panel)")
        name = f"loads_{scenario}_k{k}.png"
        figure.savefig(out_dir / name, dpi=90)
        written.append(name)
    written.append(_time_vs_k(Figure, out_dir, records, plan))
    return written


def _time_vs_k(Figure, out_dir: Path, records: list[dict], plan: StressPlan) -> str:
    figure = Figure(figsize=(11, 4.4), layout="constrained")
    axes = figure.subplots(1, 2)
    for ax, scenario, key, title in ((axes[0], "single-phase", "ms", "single phase: one routing"),
                                     (axes[1], "two-phase-original", "total_ms", "two-phase-original: phase 1 + phase 2")):
        routers = dict.fromkeys(r["router"] for r in records if r["scenario"] == scenario and key in r)
        for router, marker in zip(routers, "osD^v"):
            ks = sorted({r["k"] for r in records if r["scenario"] == scenario and r["router"] == router})
            med = [float(np.median([r[key] for r in records if r["scenario"] == scenario and r["router"] == router
                                    and r["k"] == k])) for k in ks]
            ax.plot(ks, med, marker=marker, label=router + (" (NumPy definition)" if router == "hash-original" else ""))
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(list(plan.ks), [str(k) for k in plan.ks])
        ax.set_xlabel("k (routes per source)")
        ax.set_ylabel("time (ms, median over seeds)")
        ax.set_title(f"{title}, N = {plan.N}", fontsize="medium")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    figure.suptitle("Routing time vs k")
    figure.savefig(out_dir / "time_vs_k.png", dpi=90)
    return "time_vs_k.png"

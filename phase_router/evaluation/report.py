"""report.md: one page that links every output of `phase-router evaluate` and states each
verdict with its interval."""

from __future__ import annotations

from collections import defaultdict

from ..analysis.routers import DEFAULT_ROUTER
from .specs import specs_markdown
from .stress import summary_table

PHASE_ONLY_NOTE = (
    "`hash-original` is the original system's hash router (k random targets among S[i] AND T[i] of "
    "the raw matrices): it reads the matrices' patterns, which the phase router never does (in the "
    "square case its candidates have the same expected count s_i t_i / N as the phase router's, so "
    "both route about as many routes). It is rerun as the original ran it. `hash` and `hash-weighted` are "
    "this project's like-for-like baselines: every source takes the phase router's own count "
    "r_i = min(k, c_i), uniformly over the targets or in proportion to t_j; `two-choice` is the "
    "stateful yardstick (sequential, global loads); `phase-greedy` is the phase router's own "
    "balanced selection policy.")


def _verdict_rows(verdicts: list[dict]) -> list[str]:
    lines = ["| scenario | k | baseline | outcome | phase median [95 % CI] | baseline median [95 % CI] | phase − baseline [CI] |",
             "|---|---:|---|---|---|---|---|"]
    for v in verdicts:
        a, b, d = v["a_median"], v["b_median"], v["difference"]
        fmt = lambda x: (f"{x['median']:.3f} [{x['low']:.3f}, {x['high']:.3f}]" if x["level"]  # noqa: E731
                         else f"{x['median']:.3f} (no CI, n = {x['n']})")
        lines.append(f"| {v['scenario']} | {v['k']} | {v['b']} | **{v['outcome']}** | {fmt(a)} | {fmt(b)} | {fmt(d)} |")
    return lines


def _tally(verdicts: list[dict]) -> list[str]:
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for v in verdicts:
        outcome = v["outcome"]
        key = "phase lower" if outcome == "phase lower" else ("baseline lower" if outcome.endswith("lower") else "no significant difference")
        tally[v["b"]][key] += 1
    lines = ["| baseline | phase lower | no significant difference | baseline lower |", "|---|---:|---:|---:|"]
    for baseline, counts in tally.items():
        lines.append(f"| {baseline} | {counts['phase lower']} | {counts['no significant difference']} | {counts['baseline lower']} |")
    return lines


def _load_note(summary: dict) -> str:
    specs = summary["specs"]
    start, end, cpus = specs.get("load_average_1min"), summary.get("load_average_end"), specs.get("logical_cpus")
    if start is None or end is None or not cpus:
        return ""
    text = f"Load average {start} when the run started and {end} when it ended, on {cpus} logical CPUs."
    if max(start, end) > cpus:
        text += (" **Other processes shared the CPUs during this run, so its times are inflated and noisy**; "
                 "load figures (max/mean, fill, verdicts) are deterministic and unaffected. "
                 "`make bench` on a quiet machine is the reference for speed.")
    return text + "\n"


def report_markdown(summary: dict) -> str:
    quick = summary["quick"]
    scaling, stress, matrix = summary["scaling"], summary["stress"], summary["test_matrix"]
    plan = stress["plan"]
    lines = [
        "# phase-router evaluation" + (" (quick run)" if quick else ""), "",
        f"Produced by `phase-router evaluate{' --quick' if quick else ''}` in {summary['seconds']:.0f} s "
        f"(scaling {summary['part_seconds']['scaling']:.0f} s, stress test {summary['part_seconds']['stress']:.0f} s, "
        f"test matrix {summary['part_seconds']['test_matrix']:.0f} s)."
        + (" **This is the reduced `--quick` grid**, made to finish in minutes; the full run "
           "(`phase-router evaluate --out DIR`, `make evaluate`) has larger sizes and more seeds." if quick else ""),
        "",
        "Verdicts compare per-seed max/mean column loads of two routers on the same inputs and seeds: the "
        "interval is a distribution-free order-statistic confidence interval (≥ 95 %) of the median "
        "paired difference; an interval containing 0 is reported as no significant difference.", "",
        "## System specs", "", specs_markdown(summary["specs"]), _load_note(summary),
        "## 1. Scaling sweep", "",
        f"{scaling['cells']} cells: N × N inputs whose row counts are uniform in 1..k (the original's grid), "
        "routers `phase` and `hash`, 3 seeds each. Files: [results.csv](scaling/results.csv), "
        "results.json, [summary.md](scaling/summary.md), "
        "[summary_tables.md](scaling/summary_tables.md) (mean ± std over seeds of time, skew, std, fill and "
        "coverage).", "",
    ]
    for name in scaling["plots"]:
        lines.append(f"![{name}](scaling/{name})")
    phase_rows = [r for r in scaling["rows"] if r["router"] == DEFAULT_ROUTER]
    if phase_rows:
        largest = max(r["M"] for r in phase_rows)
        lines += ["", f"Phase router at the largest N = {largest} (mean ± std over seeds):", "",
                  "| k | time (ms) | skew | fill | coverage S | coverage T |", "|---:|---:|---:|---:|---:|---:|"]
        for r in phase_rows:
            if r["M"] == largest:
                lines.append(f"| {r['k']} | {r['time_ms_mean']:.3f} ± {r['time_ms_std']:.3f} | {r['skew_mean']:.3f} ± "
                             f"{r['skew_std']:.3f} | {r['fill_mean']:.4f} | {r['coverage_S_mean']:.4f} | {r['coverage_T_mean']:.4f} |")
    lines += [
        "", "## 2. Phase vs hash stress test", "",
        f"Matrix scenarios at N = {plan['N']} with k ∈ {{{', '.join(map(str, plan['ks']))}}}, degree scenarios at "
        f"N = {plan['N_degrees']} with k ∈ {{{', '.join(map(str, plan['ks_degrees']))}}}, {plan['seeds']} seeds each "
        "(phase_router/evaluation/stress.py says what each scenario is):", "",
        "- **single-phase**: the original's single-phase sweep (row counts uniform in 1..k);",
        "- **two-phase-original**: the original's adversarial construction, computed per router from its own "
        "phase-1 routes (S2 = 128 hashed buckets of k columns, T2 fresh exact-k; inputs/two_phase_original.py);",
        "- **adversarial**: this project's two-phase input (S2 = the phase-1 routing matrix);",
        "- **uniform-0.5**: density 0.5, the original's headline case.", "",
        PHASE_ONLY_NOTE, "",
        "Files: [results.csv](stress/results.csv) (one row per scenario, k, seed and router), "
        "results.json, [verdicts.csv](stress/verdicts.csv).", "",
        "### Verdicts (lower max/mean is better)", "", *_tally(stress["verdicts"]), "", *_verdict_rows(stress["verdicts"]), "",
        "### Medians over seeds", "", summary_table(stress["records"]),
        "### Load histograms (seed 0) and time", "",
    ]
    for name in stress["plots"]:
        lines.append(f"![{name}](stress/{name})")
    passed = sum(1 for r in matrix if r["passed"])
    lines += [
        "", "## 3. Ten-point test matrix", "",
        f"**{passed} of {len(matrix)} pass.** Files: [test_matrix.csv](test_matrix/test_matrix.csv), "
        "[test_matrix.md](test_matrix/test_matrix.md) (with system specs), test_matrix.json.", "",
        "| # | check | measured | interval | verdict |", "|---:|---|---|---|---|",
    ]
    for r in matrix:
        lines.append(f"| {r['number']} | {r['name']} | {r['measured']} | {r['interval']} | {r['verdict']} |")
    return "\n".join(lines) + "\n"

"""The MoE evaluation's tables in Markdown: the headline cell (every router at every capacity
factor), the load variance against mu^2 on every cell (the c1 claim of the original system,
TSltd/bitpacked_phase_router), and every row."""

from __future__ import annotations

from .moe_grid import MoeGrid

C1_ROUTERS = ("switch-top-k", "bias-balancing", "hash-layer", "phase-oblivious", "phase-scores-c+2", "phase-preference-c+2",
              "optimum-c+2")
LOAD_FACTOR = 1.25  # the capacity factor whose sent loads and times the tables show


def _value(interval: dict, scale: float = 1.0, digits: int = 2) -> str:
    half = (interval["high"] - interval["low"]) / 2 * scale
    return f"{interval['mean'] * scale:.{digits}f} ± {half:.{digits}f}"


def _row(rows: list[dict], M: int, E: int, k: int, router: str, factor: float) -> dict:  # noqa: N803
    return next(r for r in rows if (r["M"], r["E"], r["k"], r["router"], r["capacity_factor"]) == (M, E, k, router, factor))


def _routers(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(r["router"] for r in rows))


def headline_table(rows: list[dict], grid: MoeGrid) -> str:
    M, E, k = grid.focus  # noqa: N806
    factors = grid.capacity_factors
    per = " / ".join(f"{f:g}" for f in factors)
    lines = [f"M = {M} tokens, E = {E} experts, k = {k}; mean ± half the 95 % bootstrap interval over the seeds. "
             f"Columns with three values are at capacity factors {per}; load shape and time at {LOAD_FACTOR:g}.", "",
             f"| router | dropped assignments % ({per}) | dropped tokens % ({per}) | kept gate mass / top-k ({per}) "
             f"| max/mean load | Var(L)/μ² | ms per batch |", "|---|---|---|---|---:|---:|---:|"]
    for router in _routers(rows):
        at = [_row(rows, M, E, k, router, f) for f in factors]
        if any("skipped" in r for r in at):
            lines.append(f"| {router} | — | — | — | — | — | — ({at[0].get('skipped', 'skipped')}) |")
            continue
        load = _row(rows, M, E, k, router, LOAD_FACTOR)
        lines.append(
            f"| {router} | {' / '.join(_value(r['dropped_assignments'], 100, 1) for r in at)} "
            f"| {' / '.join(_value(r['dropped_tokens'], 100, 1) for r in at)} "
            f"| {' / '.join(_value(r['kept_mass'], 1, 3) for r in at)} "
            f"| {_value(load['max_over_mean'])} | {_value(load['variance_over_mu2'], 1, 3)} | {_value(load['time_ms'], 1, 1)} |")
    return "\n".join(lines) + "\n"


def c1_table(rows: list[dict], grid: MoeGrid) -> str:
    """Var(L)/mu^2 of the loads each router sends, every cell, at LOAD_FACTOR."""
    routers = [r for r in C1_ROUTERS if r in _routers(rows)]
    lines = [f"Var(L)/μ² of the loads sent (before any drop), capacity factor {LOAD_FACTOR:g}; "
             "the original claims c₁ in [0.2, 1.0] for learned top-k.", "",
             "| M | E | k | " + " | ".join(routers) + " |", "|---:|---:|---:|" + "---:|" * len(routers)]
    for M, E, k in grid.cells():  # noqa: N806
        cells = []
        for router in routers:
            r = _row(rows, M, E, k, router, LOAD_FACTOR)
            cells.append("—" if "skipped" in r else _value(r["variance_over_mu2"], 1, 3))
        lines.append(f"| {M} | {E} | {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def all_rows_table(rows: list[dict]) -> str:
    lines = ["| M | E | k | router | factor | dropped assignments % | dropped tokens % | kept mass | max/mean | "
             "Var(L)/μ² | ms |", "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        head = f"| {r['M']} | {r['E']} | {r['k']} | {r['router']} | {r['capacity_factor']:g} |"
        if "skipped" in r:
            lines.append(head + f" — | — | — | — | — | {r['skipped']} |")
            continue
        lines.append(head + f" {_value(r['dropped_assignments'], 100, 2)} | {_value(r['dropped_tokens'], 100, 2)} "
                     f"| {_value(r['kept_mass'], 1, 4)} | {_value(r['max_over_mean'])} "
                     f"| {_value(r['variance_over_mu2'], 1, 4)} | {_value(r['time_ms'], 1, 1)} |")
    return "\n".join(lines) + "\n"

"""A program written for the original's `router` and `router_stats` modules runs here after one
changed import line: examples/original_style_program.py, run as a user runs it (its own process,
a fresh working directory; it asserts its own claims), and read to check that nothing else in
it belongs to this project."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "original_style_program.py"
ORIGINAL_ROUTER_FUNCTIONS = {"pack_and_route", "route_packed_with_stats", "phase_router_bitpacked", "router",
                             "pack_bits", "left_align_rows"}
ORIGINAL_STATS_FUNCTIONS = {"sample_many", "monte_carlo_stats", "estimate_expert_capacity", "suggest_k_for_balance",
                            "validate_routing_inputs", "analyze_routing_distribution"}
ORIGINAL_STATS_KEYS = {"N", "k", "active_routes", "packing_time_ms", "routing_time_ms", "total_time_ms",
                       "routes_per_row"}


def test_the_program_runs_and_its_unseeded_calls_differ(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(EXAMPLE), "--runs", "6"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "original-style program: ok" in done.stdout
    assert "6 unseeded calls" in done.stdout and "6 distinct routings" in done.stdout
    assert "UnreproducibleSeedWarning" in done.stderr  # once, for the unseeded loop
    assert done.stderr.count("UnreproducibleSeedWarning") == 1
    assert list(tmp_path.iterdir()) == []  # dump=False writes nothing


def test_only_the_import_line_names_this_project() -> None:
    source = EXAMPLE.read_text()
    naming = [line for line in source.splitlines() if "phase_router" in line and not line.startswith(("    ", "``"))]
    assert naming == ["from phase_router.compat import router, router_stats  # the one changed line"]
    imports = [node for node in ast.parse(source).body if isinstance(node, (ast.Import, ast.ImportFrom))]
    ours = [node for node in imports if "phase_router" in ast.dump(node)]
    assert len(ours) == 1 and isinstance(ours[0], ast.ImportFrom) and ours[0].module == "phase_router.compat"
    assert sorted(alias.name for alias in ours[0].names) == ["router", "router_stats"]
    others = {alias.name for node in imports if node not in ours for alias in node.names}
    assert others <= {"argparse", "time", "numpy"}


def test_it_calls_only_the_originals_functions_and_keys() -> None:
    tree = ast.parse(EXAMPLE.read_text())
    called = {(node.value.id, node.attr) for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id in ("router", "router_stats")}
    assert called and {attr for module, attr in called if module == "router"} <= ORIGINAL_ROUTER_FUNCTIONS
    assert {attr for module, attr in called if module == "router_stats"} <= ORIGINAL_STATS_FUNCTIONS
    keys = set(re.findall(r'stats\[["\'](\w+)["\']\]', EXAMPLE.read_text()))
    assert keys and keys <= ORIGINAL_STATS_KEYS  # never stats["seed"]: the original had no such key

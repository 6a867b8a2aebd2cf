"""The C++ core's layers (docs/ARCHITECTURE.md, "C++ layers"): every `#include "..."` under core_cpp/
goes to the same folder or to a lower layer, never up and never sideways between two folders of
one layer, so no cycle can form and a lower stage never depends on a higher one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core_cpp"

# Lowest first. Folders on one layer are independent of each other.
LAYERS: dict[str, int] = {
    "common": 0,
    "degrees": 1, "inputs": 1,
    "candidates": 2,
    "ring": 3,
    "selection": 4,
    "stats": 5, "baselines": 5,
    "bindings": 6, "tools": 6,
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
SOURCES = sorted(p for p in CORE.rglob("*") if p.suffix in {".cpp", ".hpp", ".inl", ".def", ".h"})


def includes(path: Path) -> list[str]:
    return INCLUDE.findall(path.read_text())


def folder_of(path: Path) -> str:
    return path.relative_to(CORE).parts[0]


def test_every_folder_has_a_layer() -> None:
    folders = {folder_of(p) for p in SOURCES}
    assert folders - set(LAYERS) == set(), "give each new core_cpp/ folder a layer here and in docs/ARCHITECTURE.md"


def test_the_scan_sees_the_core() -> None:
    assert len(SOURCES) > 40 and sum(len(includes(p)) for p in SOURCES) > 100


def bad_includes(here: str, names: list[str]) -> list[str]:
    """What is wrong with the includes `names` of a file in folder `here`."""
    problems = []
    for name in names:
        there = Path(name).parts[0]
        if there not in LAYERS:
            problems.append(f"{name}: unknown folder")
        elif there != here and not LAYERS[there] < LAYERS[here]:
            problems.append(f"{name}: {there} (layer {LAYERS[there]}) is not below {here} (layer {LAYERS[here]})")
    return problems


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(CORE)))
def test_includes_go_down_only(path: Path) -> None:
    names = includes(path)
    assert [n for n in names if not (CORE / n).is_file()] == [], f"{path.relative_to(CORE)} includes a file not under core_cpp/"
    assert bad_includes(folder_of(path), names) == [], f"{path.relative_to(CORE)}: a lower or sibling layer may not be depended on this way"


def test_the_rule_refuses_upward_sideways_and_unknown_includes() -> None:
    assert bad_includes("ring", ["selection/policy_random.hpp"]) != []    # up
    assert bad_includes("selection", ["baselines/sampling.hpp"]) != []    # up
    assert bad_includes("stats", ["baselines/hash.hpp"]) != []            # sideways
    assert bad_includes("ring", ["python/glue.hpp"]) != []                # unknown
    assert bad_includes("bindings", ["selection/policy_random.hpp", "common/splitmix.hpp"]) == []
    assert bad_includes("selection", ["selection/random.hpp", "candidates/candidate_source.hpp"]) == []

"""The original system's 10-point test matrix (N = 1024, k = 64 unless stated). The checks live in
phase_router/evaluation/test_matrix.py, which `phase-router evaluate` also reports; each pass
criterion comes from docs/SPEC.md's theory or from the hash baseline on the same inputs, never
from this code's own output. Seeds are fixed, so every outcome is deterministic."""

from __future__ import annotations

import pytest

from phase_router.evaluation import test_matrix as matrix


@pytest.mark.parametrize("check", matrix.CHECKS, ids=lambda c: c.__name__.removeprefix("check_"))
def test_check(check) -> None:
    result = check()
    assert result.passed, f"{result.name}: {result.criterion}; measured {result.measured}"
    assert result.measured and result.criterion and result.interval


def test_every_router_is_in_check_3() -> None:
    from phase_router.analysis.routers import ROUTERS

    result = matrix.check_3_seed_reproducibility()
    assert result.details["routers"] == sorted(ROUTERS) and not result.details["failing"]


def test_markdown_lists_every_check() -> None:
    results = [matrix.CheckResult(i, f"c{i}", "crit", "m", "iv", i != 3) for i in range(1, 11)]
    text = matrix.markdown(results, "- CPU: x\n")
    assert "9 of 10 checks pass" in text and "| 3 | c3 | crit | m | iv | FAIL |" in text

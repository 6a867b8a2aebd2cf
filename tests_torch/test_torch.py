"""Real PyTorch (make test-torch installs the pinned CPU wheel): tensors in, tensors out, the
MoE example. Kept out of tests/ because `make test` does not install torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import phase_router as pr

ROOT = Path(__file__).resolve().parent.parent


def test_torch_tensors_route_like_numpy() -> None:
    g = torch.Generator().manual_seed(0)
    S = torch.rand(80, 30, generator=g) < 0.3
    T = torch.rand(30, 80, generator=g) < 0.4
    expected = pr.route(S.numpy(), T.numpy(), 5, seed=2).routes
    for cast in (lambda m: m, lambda m: m.to(torch.int64), lambda m: m.to(torch.float32)):
        assert np.array_equal(pr.route(cast(S), cast(T), 5, seed=2).routes, expected)
    assert np.array_equal(pr.route_degrees(S.sum(1), T.sum(1), 5, seed=2).routes, expected)


def test_tensor_requiring_grad_is_one_clear_line() -> None:
    S = torch.ones(4, 3, requires_grad=True)
    with pytest.raises(pr.InvalidInputError, match="^S cannot be"):
        pr.route(S, np.ones((3, 4)), 2)


def test_to_torch_shares_memory() -> None:
    r = pr.route_degrees(np.full(40, 6), np.full(6, 40), 3, seed=1)
    t = r.to_torch()
    assert t.dtype == torch.int32 and tuple(t.shape) == (40, 3)
    assert np.array_equal(t.numpy(), r.routes)
    assert t.data_ptr() == r.routes.ctypes.data  # DLPack: no copy


def test_moe_example_equals_dense() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "moe_torch.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "dispatch + combine == dense: True" in done.stdout


def test_moe_example_routed_by_scores_equals_dense() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "moe_torch_scores.py")], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert "dispatch + combine == dense: True" in done.stdout

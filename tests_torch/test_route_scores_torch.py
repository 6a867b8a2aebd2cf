"""moe.route_scores on PyTorch CPU tensors (read through DLPack): the same routes and gates as
the same scores in NumPy, and the tensor's dtype does not matter beyond its values."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from phase_router import moe
from phase_router.errors import InvalidInputError


def test_tensor_scores_route_like_numpy() -> None:
    g = torch.Generator().manual_seed(0)
    scores = torch.softmax(torch.randn(300, 12, generator=g, dtype=torch.float64), dim=-1)
    expected = moe.route_scores(scores.numpy(), 2, top_c=4, seed=3)
    for tensor in (scores, scores.to(torch.float32).to(torch.float64)):
        got = moe.route_scores(tensor, 2, top_c=4, seed=3)
        assert np.array_equal(got.routes, moe.route_scores(tensor.numpy(), 2, top_c=4, seed=3).routes)
    got = moe.route_scores(scores, 2, top_c=4, seed=3)
    assert np.array_equal(got.routes, expected.routes) and np.array_equal(got.gates, expected.gates)


def test_nan_in_a_tensor_is_one_typed_line() -> None:
    scores = torch.ones(4, 3)
    scores[2, 1] = float("nan")
    with pytest.raises(InvalidInputError, match="finite.*token 2, expert 1"):
        moe.route_scores(scores, 1)

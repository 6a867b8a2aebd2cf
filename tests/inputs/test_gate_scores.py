"""The MoE gate-score model (inputs/gate_scores.py): keyed and reproducible, its draws are the
distributions they claim, and its knobs do what they say (popularity skews the top-1 loads,
temperature sharpens the gates, the model stays put while batches change)."""

from __future__ import annotations

import numpy as np
import pytest

from phase_router.errors import InvalidInputError
from phase_router.inputs.gate_scores import _normals, _uniforms, gate_logits, gate_model, softmax


def test_the_same_seeds_give_the_same_bits_and_other_seeds_other_bits() -> None:
    a, b = gate_model(16, seed=3), gate_model(16, seed=3)
    assert np.array_equal(gate_logits(a, 300, 7), gate_logits(b, 300, 7))
    assert not np.array_equal(gate_logits(a, 300, 7), gate_logits(a, 300, 8))  # a new batch
    assert not np.array_equal(gate_model(16, seed=4).experts, a.experts)  # a new model
    first = gate_logits(a, 300, 7)
    assert np.array_equal(gate_logits(a, 100, 7), first[:100])  # a batch's tokens are a stream


def test_the_draws_are_uniform_and_standard_normal() -> None:
    u = _uniforms(12345, 200_000)
    assert 0 < u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.003 and abs(u.var() - 1 / 12) < 0.001
    z = _normals(999, 200_001)
    assert z.size == 200_001 and abs(z.mean()) < 0.01 and abs(z.var() - 1) < 0.01
    assert abs(np.mean(np.abs(z) < 1.96) - 0.95) < 0.003


def test_popularity_is_zipf_over_a_keyed_ranking() -> None:
    model = gate_model(32, zipf=0.8, seed=1)
    p = np.exp(model.log_popularity)
    assert p.sum() == pytest.approx(1.0)
    ranked = np.sort(p)[::-1]
    np.testing.assert_allclose(ranked / ranked[0], np.arange(1, 33) ** -0.8)
    assert np.argmax(p) != 0 or np.argmax(gate_model(32, zipf=0.8, seed=2).log_popularity) != 0  # keyed, not by id


def test_skewed_popularity_makes_the_popular_experts_take_more_top1_load() -> None:
    def top1_loads(zipf: float) -> tuple[np.ndarray, np.ndarray]:
        model = gate_model(16, zipf=zipf, seed=5)
        return np.bincount(np.argmax(gate_logits(model, 20_000, 0), axis=1), minlength=16), model.log_popularity

    flat, _ = top1_loads(0.0)
    skewed, popularity = top1_loads(1.5)
    assert np.corrcoef(skewed, popularity)[0, 1] > 0.5
    assert skewed.var() > 2 * flat.var()


def test_temperature_sharpens_the_gates_and_softmax_rows_sum_to_one() -> None:
    sharp = softmax(gate_logits(gate_model(16, temperature=0.3, seed=2), 2000, 1))
    soft = softmax(gate_logits(gate_model(16, temperature=3.0, seed=2), 2000, 1))
    np.testing.assert_allclose(sharp.sum(axis=1), 1.0)
    assert sharp.max(axis=1).mean() > soft.max(axis=1).mean() + 0.2
    assert np.array_equal(np.argmax(sharp, axis=1), np.argmax(soft, axis=1))  # same ranking
    assert np.all(np.isfinite(softmax(np.array([[1e308, 0.0], [-1e308, 5.0]]))))


@pytest.mark.parametrize(("call", "says"), [
    (lambda: gate_model(0), "E must be"),
    (lambda: gate_model(8, temperature=0.0), "temperature"),
    (lambda: gate_model(8, zipf=-1.0), "zipf"),
    (lambda: gate_logits(gate_model(8), 0, 1), "M must be"),
])
def test_bad_parameters_are_typed_errors(call, says) -> None:
    with pytest.raises(InvalidInputError, match=says):
        call()

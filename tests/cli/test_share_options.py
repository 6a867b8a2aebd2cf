"""One convention for probabilities and shares on every command and in the API: --percentile
takes percent in [1, 100), every other probability or share a fraction; a value in the other
form is refused (exit 2, one line naming the option) with the value it probably meant."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cli_walk import invoke, options, required_args
from phase_router._internal.shares import check_fraction, check_percentile, check_probability
from phase_router.analysis.capacity import estimate_capacity
from phase_router.analysis.suggest import suggest_k
from phase_router.cli.option_checks import SHARE_HELP, SHARE_OPTIONS
from phase_router.compat.router_stats import estimate_expert_capacity
from phase_router.errors import InvalidInputError
from phase_router.inputs import generate

SHARE_WORDS = ("percent", "probab", "confidence", "share", "fraction", "quantile", "level", "density", "fill")
REAL_OPTIONS = options("float")
SHARE_OPTIONS_FOUND = [o for o in REAL_OPTIONS if o.name in SHARE_OPTIONS]


def test_every_probability_like_option_follows_the_convention() -> None:
    """An option whose name says probability or share must be checked by the shared rule."""
    named_like_shares = [o for o in REAL_OPTIONS if any(word in o.name for word in SHARE_WORDS)]
    assert named_like_shares, "the walk found no share options: it is broken"
    assert [o for o in named_like_shares if o.name not in SHARE_OPTIONS] == []
    assert {"percentile", "probability", "density", "high_fraction", "target_fill"} <= {o.name for o in SHARE_OPTIONS_FOUND}


def _wrong_form(name: str) -> tuple[str, str]:
    """A value in the other form and the hint it must get."""
    return ("0.99", "did you mean 99?") if name == "percentile" else ("90", "did you mean 0.9?")


@pytest.mark.parametrize("option", SHARE_OPTIONS_FOUND, ids=lambda o: f"{o.command}{o.spellings[0]}")
def test_a_value_in_the_other_form_is_refused_with_a_hint(option) -> None:
    value, hint = _wrong_form(option.name)
    spelled = option.spellings[-1]
    outcome = invoke(option.command, *required_args(option.command, option.name), spelled, value)
    assert outcome.code == 2 and not outcome.traceback, outcome
    assert outcome.message.count("\n") == 1 and outcome.message.startswith("phase-router: error: ")
    assert f"{spelled} {value} is a " in outcome.message and hint in outcome.message


@pytest.mark.parametrize("option", SHARE_OPTIONS_FOUND, ids=lambda o: f"{o.command}{o.spellings[0]}")
def test_values_far_out_of_range_get_no_hint(option) -> None:
    outcome = invoke(option.command, *required_args(option.command, option.name), option.spellings[-1], "-5")
    assert outcome.code == 2 and outcome.message.count("\n") == 1, outcome
    assert "did you mean" not in outcome.message


def test_the_capacity_trap_from_the_user_report() -> None:
    outcome = invoke("capacity", "S.pbm", "T.pbm", "-k", "4", "--percentile", "0.99")
    assert outcome.message == "phase-router: error: --percentile 0.99 is a percentage in [1, 100); did you mean 99?\n"
    outcome = invoke("suggest-k", "S.pbm", "T.pbm", "--target-skew", "1.2", "--probability", "90")
    assert outcome.message == "phase-router: error: --probability 90 is a fraction in (0, 1); did you mean 0.9?\n"


def test_the_rule_is_stated_in_each_share_options_help() -> None:
    from cli_walk import commands

    for option in SHARE_OPTIONS_FOUND:
        param = next(p for p in commands()[option.command].params if p.name == option.name)
        assert SHARE_HELP[option.name] in (param.help or ""), option
        assert ("Percent in [1, 100)" if option.name == "percentile" else "A fraction in ") in SHARE_HELP[option.name]


@pytest.mark.parametrize("value, expected", [(1, 1.0), (50, 50.0), (99.9, 99.9), (99, 99.0)])
def test_percentile_accepts_percent(value, expected) -> None:
    assert check_percentile(value) == expected


@pytest.mark.parametrize("value, hint", [(0.99, "did you mean 99?"), (0.5, "did you mean 50?"), (0.011, "did you mean 1.1?"),
                                         (0.005, None), (100, None), (0, None), (-3, None), (250, None)])
def test_percentile_refuses_fractions_and_out_of_range(value, hint) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_percentile(value)
    assert str(caught.value).startswith(f"percentile {value:g} is a percentage in [1, 100)")
    assert (hint in str(caught.value)) if hint else "did you mean" not in str(caught.value)


@pytest.mark.parametrize("value, hint", [(90, "did you mean 0.9?"), (99.5, "did you mean 0.995?"), (100, "did you mean 1?"),
                                         (1, None), (0, None), (250, None), (-0.1, None)])
def test_probability_refuses_percentages(value, hint) -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_probability(value)
    assert str(caught.value).startswith(f"probability {value:g} is a fraction in (0, 1)")
    assert (hint in str(caught.value)) if hint else "did you mean" not in str(caught.value)


def test_fraction_bounds_follow_the_parameter() -> None:
    assert check_fraction(0, "density", zero=True, one=True) == 0 and check_fraction(1, "density", zero=True, one=True) == 1
    with pytest.raises(InvalidInputError, match=re.escape("density 50 is a fraction in [0, 1]; did you mean 0.5?")):
        check_fraction(50, "density", zero=True, one=True)
    for bad in ("0.5", None, float("nan"), True):
        with pytest.raises(InvalidInputError):
            check_fraction(bad, "x")


def test_the_api_raises_the_typed_error_with_the_same_hint() -> None:
    S, T = generate("uniform", 64, 48, k=4, seed=1)
    with pytest.raises(InvalidInputError, match=re.escape("percentile 0.99 is a percentage in [1, 100); did you mean 99?")):
        estimate_capacity(S.sum(1), T.sum(1), 4, percentile=0.99)
    with pytest.raises(InvalidInputError, match=re.escape("probability 90 is a fraction in (0, 1); did you mean 0.9?")):
        suggest_k(S.sum(1), T.sum(1), target_skew=1.5, probability=90)
    with pytest.raises(InvalidInputError, match=re.escape("confidence 95 is a fraction in (0, 1); did you mean 0.95?")):
        estimate_expert_capacity(S, T, 4, confidence=95)
    with pytest.raises(InvalidInputError, match=re.escape("uniform: density 50 is a fraction in [0, 1]; did you mean 0.5?")):
        generate("uniform", 8, 8, density=50)
    assert np.asarray(estimate_capacity(S.sum(1), T.sum(1), 4, percentile=90, seeds=range(6)).joint_capacity_per_target).size == 48

"""Every integer option of every command, fed a huge or a negative value, is refused with one
line that names the option as typed (not an internal parameter name) and its real limit, exit 2,
no traceback. In-process (CliRunner), so walking every option stays fast."""

from __future__ import annotations

import re

import pytest

from cli_walk import invoke, options, required_args
from phase_router._internal.threads import max_threads

INTEGER_OPTIONS = options("integer")
HUGE = (2**31, 2**63, 2**64)


def test_the_walk_finds_the_integer_options() -> None:
    found = {(o.command, o.spellings[-1]) for o in INTEGER_OPTIONS}
    assert {("route", "--k"), ("route", "--threads"), ("route", "--chunk-rows"), ("capacity", "--seeds"),
            ("gen", "--width"), ("sweep", "--jobs"), ("route", "--rounds")} <= found


def _cases():
    for option in INTEGER_OPTIONS:
        for spelled in option.spellings:
            for value in HUGE:
                if option.maximum is not None and value <= option.maximum:
                    continue  # a valid value of this option (a seed may be up to 2^64 - 1)
                yield pytest.param(option, spelled, str(value), id=f"{option.command} {spelled} {value}")
        yield pytest.param(option, option.spellings[0], "-1", id=f"{option.command} {option.spellings[0]} -1")


@pytest.mark.parametrize("option, spelled, value", list(_cases()))
def test_out_of_range_values_name_the_option(option, spelled, value) -> None:
    outcome = invoke(option.command, *required_args(option.command, option.name), spelled, value)
    if value == "-1" and outcome.code == 0:
        pytest.fail(f"{option.command} {spelled} -1 was accepted")
    assert outcome.code == 2 and not outcome.traceback, outcome
    assert outcome.message.count("\n") == 1 and outcome.message.startswith("phase-router: error: "), outcome
    assert spelled in outcome.message, outcome  # as the user typed it
    for internal in ("rows_per_chunk", "chunk_rows", "validation_seeds", "k_max", "top_k", option.name):
        if "_" in internal:  # a Python parameter name, not what the user typed
            assert internal not in outcome.message, outcome
    assert re.search(r"\d", outcome.message.replace(value, "")), outcome  # the limit is stated


def test_the_traps_from_the_user_report() -> None:
    outcome = invoke("route", "S.pbm", "T.pbm", "-k", "4", "--chunk-rows", "9223372036854775808")
    assert outcome.message == ("phase-router: error: --chunk-rows 9223372036854775808 is more than 2147483647, "
                               "the largest count phase-router handles (2^31 - 1)\n")
    outcome = invoke("route", "S.pbm", "T.pbm", "-k", "4", "--threads", "2147483648")
    assert outcome.message == (f"phase-router: error: --threads 2147483648 is more than {max_threads()}, "
                               "the thread limit here (8 per core)\n")
    assert "GiB" not in outcome.message
    outcome = invoke("route", "S.pbm", "T.pbm", "-k", str(2**63))
    assert outcome.message.startswith(f"phase-router: error: -k {2**63} is more than 2147483647")


def test_valid_values_still_pass(tmp_path) -> None:
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    outcome = invoke("route", str(samples / "S.pbm"), str(samples / "T.pbm"), "-k", "4", "--threads", str(max_threads()),
                     "--chunk-rows", str(2**31 - 1), "--json")
    assert outcome.code == 0, outcome

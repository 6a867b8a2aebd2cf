"""Shared test set-up: hypothesis profiles. `make test` uses the fixed-budget `ci` profile."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# ci: a fixed budget and derandomized examples, so CI time and outcome do not vary between runs.
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# click < 8.2 (the newest click on Python 3.9) mixes stderr into `output` unless told not to;
# the tests read `result.stderr` as click >= 8.2 provides it, so ask 8.1 for the same.
import inspect  # noqa: E402

import click.testing  # noqa: E402

if "mix_stderr" in inspect.signature(click.testing.CliRunner.__init__).parameters:
    _runner_init = click.testing.CliRunner.__init__

    def _separate_stderr(self, *args, mix_stderr=False, **kwargs):  # type: ignore[no-untyped-def]
        _runner_init(self, *args, mix_stderr=mix_stderr, **kwargs)

    click.testing.CliRunner.__init__ = _separate_stderr  # type: ignore[method-assign]

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

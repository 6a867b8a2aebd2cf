"""Class "escapes": a config's `name` becomes the default output directory sweeps/<name>,
so it must be one plain path component; anything that could leave sweeps/ is a config error."""

from __future__ import annotations

from pathlib import Path

import pytest

from phase_router.sweep import ConfigError, parse_config

BASE = {"shapes": [{"N": 8}], "k": [2], "inputs": [{"generator": "uniform"}]}


@pytest.mark.parametrize("name", ["../x", "/abs/dir", "a/b", "..", ".", "a\\\\b", "", "x" * 101, "name with space"])
def test_names_that_could_escape_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="name"):
        parse_config({**BASE, "name": name}, tmp_path / "c.yaml")


@pytest.mark.parametrize("name", ["smoke", "scaling-2", "ci_v1.2", "a..b"])
def test_plain_names_are_kept(name: str, tmp_path: Path) -> None:
    assert parse_config({**BASE, "name": name}, tmp_path / "c.yaml").name == name

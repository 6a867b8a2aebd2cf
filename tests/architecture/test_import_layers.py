"""The pipeline's import rule: each stage imports only from the stages below it (cli, compat >
evaluation > pictures > sweep > analysis > baselines, routed inputs, MoE > routing > inputs, io,
reference > PackedBits and _internal > errors), as the contracts in pyproject.toml
([tool.importlinter]) state it. import-linter checks them; a failure prints its report, which
names each import chain that goes the wrong way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _lint_imports() -> Path:
    """The `lint-imports` of the interpreter running the tests (the venv's, never one on PATH)."""
    scripts = Path(sys.executable).parent
    for name in ("lint-imports", "lint-imports.exe"):
        if (scripts / name).is_file():
            return scripts / name
    raise AssertionError(f"lint-imports is not installed next to {sys.executable}; install the [test] extra")


def test_every_import_follows_the_layers() -> None:
    # Run from the source tree, whose directory import-linter puts first on sys.path: the
    # contracts are checked on these files, whichever copy of the package is installed.
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([str(_lint_imports()), "--config", "pyproject.toml", "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=300)
    report = done.stdout + done.stderr
    assert done.returncode == 0, "an import goes against the layers (pyproject.toml [tool.importlinter]):\n" + report
    assert "0 broken" in report, report


def test_the_pipeline_contract_covers_every_stage() -> None:
    # `exhaustive` makes import-linter refuse a top-level module that no layer names, so a new
    # stage cannot slip past the rule by being left out of it.
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    pipeline = next(c for c in config["contracts"] if c["id"] == "pipeline")
    assert pipeline["type"] == "layers" and pipeline["exhaustive"] is True
    assert pipeline["containers"] == ["phase_router"]
    assert pipeline["layers"][0] == "cli | compat" and pipeline["layers"][-1] == "errors | _version"

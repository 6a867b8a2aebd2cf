"""What a new process imports before it works: `import phase_router` reads its version without
scanning the installed distributions (importlib.metadata), `phase-router <command>` imports
that command's module and no other command's, and a route run loads neither Pydantic (Typer's
validators: cli/plain_values.py) nor the optional back ends. New interpreters, since start-up is
what is tested."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from phase_router.cli.application import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

# Runs the command in this interpreter, then prints the modules it imported.
LOADED = """
import json, sys
import launch_phase_router
sys.argv = ["phase-router", *sys.argv[1:]]
try:
    launch_phase_router.main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _loaded(cwd: Path, *args: str) -> set[str]:
    """Run outside the source tree, so an installed (non-editable) package is what is imported."""
    done = subprocess.run([sys.executable, "-c", LOADED, *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _cli_modules(loaded: set[str]) -> set[str]:
    return {name for name in loaded if name.startswith("phase_router.cli.")}


def test_import_reads_no_distribution_metadata(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", "import sys, phase_router; print('importlib.metadata' in sys.modules)"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize("command", ["route", "gen"])
def test_a_command_imports_its_own_module_only(command: str, tmp_path: Path) -> None:
    args = {"route": ["route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4"],
            "gen": ["gen", "uniform", "--shape", "8", "--out", "-", "/dev/null"]}[command]
    loaded = _cli_modules(_loaded(tmp_path, *args))
    own = f"phase_router.cli.{COMMANDS[command][0]}"
    others = {f"phase_router.cli.{module}" for name, (module, _, _) in COMMANDS.items() if name != command} - {own}
    assert own in loaded
    assert not loaded & others, sorted(loaded & others)


@pytest.mark.parametrize("extra", [[], ["--json"], ["--select", "balanced", "--out", "-", "--out-format", "csv"]])
def test_a_route_run_loads_no_pydantic_and_no_optional_back_end(extra: list[str], tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, "route", str(SAMPLES / "S.pbm"), str(SAMPLES / "T.pbm"), "-k", "4", *extra)
    assert "phase_router.cli.route_cmd" in loaded  # it ran
    heavy = {name for name in loaded if name.split(".")[0] in {"pydantic", "pydantic_core", "scipy", "dask", "distributed"}}
    assert not heavy, sorted(heavy)


def test_the_help_lists_every_command() -> None:
    done = subprocess.run([str(Path(sys.executable).parent / "phase-router"), "-h"], capture_output=True, text=True,
                          timeout=120, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"}, cwd=SAMPLES)
    assert done.returncode == 0, done.stderr
    for name in COMMANDS:
        assert f"  {name} " in done.stdout, name

"""Typing: the package ships py.typed and a stub for the C++ module; the public
modules and a typed consumer of them pass mypy --strict."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from phase_router import _core

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = ["phase_router/__init__.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "phase_router" / "moe").glob("*.py")),
          "phase_router/errors.py",
          "phase_router/routing/api.py", "phase_router/_core.pyi", "tests/typing/public_api_usage.py"]


def test_marker_and_stub_are_in_the_package() -> None:
    assert (ROOT / "phase_router" / "py.typed").is_file()
    assert (ROOT / "phase_router" / "_core.pyi").is_file()


def test_stub_declares_every_name_the_extension_defines() -> None:
    tree = ast.parse((ROOT / "phase_router" / "_core.pyi").read_text())
    declared = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    declared |= {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}
    defined = {name for name in dir(_core) if not name.startswith("_")}
    assert defined - declared == set(), "add these to phase_router/_core.pyi"
    assert declared - defined == set(), "the stub declares names the module does not have"


def test_mypy_strict_over_the_public_api() -> None:
    # follow-imports=silent: internal modules are read for their types, errors reported only
    # for the public modules listed (and the stub).
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                           "--no-incremental", *PUBLIC], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

"""An example that needs a package phase-router does not depend on (PyTorch, SciPy, Dask,
matplotlib ...), run where that package cannot be imported, prints one line naming the example
and what to install, and exits non-zero: no traceback. The examples' imports are read from their
source, so a new example with a new extra is checked too."""

from __future__ import annotations

import ast
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEPENDENCIES = {"numpy", "phase_router", "__future__"}  # what every install of phase-router has


def _stdlib(name: str) -> bool:
    names = getattr(sys, "stdlib_module_names", None)  # Python 3.10+
    if names is not None:
        return name in names
    import importlib.util

    spec = importlib.util.find_spec(name)
    origin = getattr(spec, "origin", None) or ""
    return spec is not None and (origin in ("built-in", "frozen") or origin.startswith(sysconfig.get_paths()["stdlib"])
                                 and "site-packages" not in origin)


def optional_imports(path: Path) -> list[str]:
    """The top-level packages `path` imports at module level that are neither the standard
    library nor phase-router's own dependencies."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        for inner in ast.walk(node) if isinstance(node, ast.Try) else [node]:
            if isinstance(inner, ast.Import):
                roots = [alias.name.split(".")[0] for alias in inner.names]
            elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                roots = [inner.module.split(".")[0]]
            else:
                continue
            found += [r for r in roots if r not in DEPENDENCIES and not _stdlib(r) and r not in found]
    return found


CASES = [(path.name, module) for path in sorted(EXAMPLES.glob("*.py")) for module in optional_imports(path)]
# Block the module the way a missing install looks to `import` (sys.modules[name] = None makes
# every import of it, and of its submodules, raise ImportError), then run the example as a script.
RUNNER = ("import runpy, sys; sys.modules[sys.argv[1]] = None; path = sys.argv[2]; sys.argv = [path]; "
          "runpy.run_path(path, run_name='__main__')")


def test_the_examples_that_need_an_extra_are_found() -> None:
    names = {name for name, _ in CASES}
    assert {"torch_front_end.py", "moe_torch.py", "moe_torch_scores.py", "scipy_front_end.py"} <= names


@pytest.mark.parametrize("name, module", CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_without_the_extra_one_line_says_what_to_install(name: str, module: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", RUNNER, module, str(EXAMPLES / name)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"examples/{name} needs ") and "pip install" in lines[0], lines[0]
    assert done.stdout == ""

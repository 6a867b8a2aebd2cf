"""README.md is for users: short, starting with the two commands, free of development history, and
every command in it runs: the `phase-router` lines parse against the real commands, and the
example's pasted output is what the command prints."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from phase_router.cli import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAX_LINES = 200
# Development history belongs in CHANGELOG.md and git, never in the user's README.
HISTORY_MARKERS = [r"issue\s*#", r"\B#\d+\b", r"\bbefore:", r"measured before", r"load average", r"\blanded\b",
                   r"\bpreviously\b", r"\bused to\b", r"\bno longer\b", r"\bnew:", r"\bwas fixed\b"]


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


def command_lines() -> list[str]:
    """Every `phase-router ...` command in the README's bash and text blocks ($ prompts removed,
    comments and pipes cut off)."""
    lines = [line for block in code_blocks("bash") for line in block.splitlines()]
    # in a text block, only the prompt lines are commands (the rest is their output)
    lines += [line[2:] for block in code_blocks("text") for line in block.splitlines() if line.startswith("$ ")]
    found = [line.split(" #")[0].split(" | ")[0].strip() for line in lines]
    return [line for line in found if line.startswith("phase-router ")]


def test_readme_is_short():
    assert len(README.splitlines()) <= MAX_LINES


def test_readme_starts_with_make_demo_and_make_test():
    """The title, then at once the first code block: `make demo`, then `make test`."""
    lines = [line for line in README.splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    assert lines[1] == "```bash"
    assert lines[2].split("#")[0].split() == ["make", "demo"]
    assert lines[3].split("#")[0].split() == ["make", "test"]
    assert lines[4] == "```"


@pytest.mark.parametrize("pattern", HISTORY_MARKERS)
def test_readme_has_no_development_history(pattern):
    assert not re.search(pattern, README, flags=re.I), f"README.md matches {pattern!r}: history goes in CHANGELOG.md"


def test_readme_names_where_the_command_lands():
    assert ".venv/bin/phase-router" in README
    assert "pip install ." in README


def test_every_readme_command_parses():
    """Each option of each `phase-router` line exists on that command and takes its value."""
    group = typer.main.get_command(app)
    lines = command_lines()
    assert len(lines) >= 3
    for line in lines:
        args = shlex.split(line)[1:]
        root = group.context_class(group, info_name="phase-router")
        command = group.get_command(root, args[0])
        assert command is not None, f"README: no command {args[0]!r} in {line!r}"
        command.make_context(args[0], args[1:], parent=root)  # a UsageError fails the test


def test_readme_python_and_commands_run(tmp_path):
    """The README's Python blocks, then every `phase-router` line, in a scratch directory with the
    samples: each runs and succeeds."""
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    script = "\n".join(code_blocks("python"))
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for line in command_lines():
        args = shlex.split(line)[1:]
        done = subprocess.run([sys.executable, "-m", "phase_router", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"{line}: {done.stderr}"


def _words(text: str) -> list[str]:
    """The words of a table, without Rich's box characters and without the timing row."""
    kept = [line for line in text.splitlines() if not re.search(r"\btime\b", line)]
    return re.sub(r"[\u2500-\u257f]", " ", "\n".join(kept)).split()


def test_readme_example_output_is_what_the_command_prints(tmp_path):
    """The output pasted under the `$ phase-router route ...` example matches a real run word for
    word (the timing row aside)."""
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    block = next(b for b in code_blocks("text") if b.startswith("$ phase-router route"))
    prompt, *pasted = block.splitlines()
    args = shlex.split(prompt.removeprefix("$ "))[1:]
    done = subprocess.run([sys.executable, "-m", "phase_router", *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**__import__("os").environ, "COLUMNS": "200"})
    assert done.returncode == 0, done.stderr
    assert _words(done.stdout) == _words("\n".join(pasted))

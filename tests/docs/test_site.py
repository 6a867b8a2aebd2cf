"""The documentation site (mkdocs.yml) cannot drift: its CLI reference is rendered from the Typer
commands by a hook, not written by hand, and every page in docs/ is in its navigation. These
checks need neither MkDocs nor a build; `make docs` builds the site with --strict."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import typer
import yaml

from phase_router.cli import app

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HOOK = DOCS / "hooks" / "cli_reference.py"


def load_hook():
    spec = importlib.util.spec_from_file_location("cli_reference_hook", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def nav_pages(entries) -> list[str]:
    pages = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_cli_reference_page_is_only_the_generation_marker():
    """The page holds the hook's marker and prose, no hand-written option or command table."""
    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    hook = load_hook()
    assert hook.MARKER in page
    assert not re.search(r"^\|", page, flags=re.M), "cli.md has a hand-written table"
    assert "## `phase-router" not in page, "cli.md has a hand-written command section"
    assert "docs/hooks/cli_reference.py" in config()["hooks"]


def test_cli_reference_renders_every_command_and_option():
    hook = load_hook()
    rendered = hook.render_commands()
    group = typer.main.get_command(app)
    root = group.context_class(group, info_name="phase-router")
    names = group.list_commands(root)
    assert len(names) >= 9
    for name in names:
        command = group.get_command(root, name)
        assert f"## `phase-router {name}`" in rendered
        ctx = command.context_class(command, info_name=name, parent=root)
        for param in command.get_params(ctx):
            for option in [*param.opts, *param.secondary_opts]:
                if option.startswith("-"):
                    assert option in rendered, f"{name} {option} missing from the CLI reference"


def test_every_docs_page_is_in_the_nav():
    cfg = config()
    listed = set(nav_pages(cfg["nav"]))
    generated = {"index.md", "changelog.md"}  # README.md and CHANGELOG.md, put in by docs/hooks/site_pages.py
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} | generated
    # the published evaluation run's own tables are linked from its report, not listed (not_in_nav)
    pages = {p for p in pages if not re.fullmatch(r"evaluation/[^/]+/[^/]+\.md", p)}
    assert pages - listed == set(), f"pages missing from mkdocs.yml's nav: {sorted(pages - listed)}"
    assert listed - pages == set(), f"nav entries with no page: {sorted(listed - pages)}"


def test_api_reference_is_rendered_from_the_docstrings():
    """The API pages are mkdocstrings directives over the package, with the public API on them."""
    api = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    import phase_router

    documented = set(re.findall(r"^::: phase_router\.(\w+)$", api, flags=re.M))
    public = {name for name in phase_router.__all__ if name not in ("inputs", "__version__")}
    errors = {"FileFormatError", "InputFileError", "InvalidInputError", "PhaseRouterError", "ResourceLimitError",
              "ShapeMismatchError"}
    assert public - errors - documented == set()
    assert "::: phase_router.errors" in api

"""MkDocs hook: the site's home page is README.md and its changelog is CHANGELOG.md, read at build
time so the site never holds a second copy of either. Links written for GitHub (README.md links
`docs/X.md`) are rewritten to the site's paths."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# site page -> the repository file it is made of
GENERATED_PAGES = {"index.md": "README.md", "changelog.md": "CHANGELOG.md"}


def site_markdown(text: str) -> str:
    """Repository-relative links made site-relative: docs/X -> X, CHANGELOG.md -> changelog.md."""
    text = re.sub(r"\]\(docs/", "](", text)
    return re.sub(r"\]\(CHANGELOG\.md", "](changelog.md", text)


def on_files(files, config):  # noqa: ANN001 - MkDocs hook signature
    from mkdocs.structure.files import File

    for page, source in GENERATED_PAGES.items():
        text = site_markdown((ROOT / source).read_text(encoding="utf-8"))
        files.append(File.generated(config, page, content=text))
    return files

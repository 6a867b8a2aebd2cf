"""The package's version: the one place it is written (pyproject.toml reads it at build time), so
reading it costs no scan of the installed distributions' metadata at import."""

__version__ = "0.1.0"

"""Command-line interface (Typer). One module per command; all work is done by the API."""

from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]

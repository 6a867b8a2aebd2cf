"""Command-line interface (Typer). One module per command; all work is done by the API."""

import importlib
import signal
import sys

from .. import _core
from .app import app


def _click_classes(name: str) -> tuple[type[BaseException], ...]:
    """The exception class `name` of Click and, where Typer vendors its own copy of Click
    (newer Typer releases), of that copy too."""
    found = []
    for module in ("click.exceptions", "typer._click.exceptions"):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


_USAGE_ERRORS = _click_classes("UsageError")
_ABORTS = _click_classes("Abort")


def main() -> None:
    """The `phase-router` command. Usage errors (a bad option value, an unknown option, a missing
    argument) are one line on stderr and exit 2, like every other error, instead of Click's box.
    SIGINT, SIGTERM and SIGHUP stop it, running kernels included, within a second: one line, exit
    130, 143 or 129 (launch_phase_router installs the handlers before anything heavy is imported)."""
    from launch_phase_router.signals import SIGNALS, exit_interrupted, install_handlers

    install_handlers()  # again, for `python -m phase_router` and callers of main()
    _core.set_cancel_signals([s for s in SIGNALS if signal.getsignal(s) is not signal.SIG_IGN])
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt as exc:  # outside a command's error boundary (parsing, imports)
        exit_interrupted(exc)
    except _USAGE_ERRORS as exc:
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "phase-router"
        print(f"phase-router: error: {exc.format_message()} (see '{where} -h')", file=sys.stderr)
        sys.exit(2)
    except _ABORTS:  # Ctrl-C while Click itself was parsing or prompting
        exit_interrupted(KeyboardInterrupt())
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]

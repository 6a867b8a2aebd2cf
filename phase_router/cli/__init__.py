"""Command-line interface (Typer). One module per command; all work is done by the API."""

import signal
import sys
from typing import Optional

from launch_phase_router.startup_gc import resume as resume_gc

from .. import _core
from .application import COMMANDS, build_app


def _click_classes(name: str) -> tuple[type[BaseException], ...]:
    """The exception class `name` of every Click loaded: Typer's own copy (newer Typer releases
    vendor one and never load Click) and Click itself (older releases parse with it). Read when
    an exception is caught, so neither is imported for it: a class never loaded raised nothing."""
    found = []
    for module in ("click.exceptions", "typer._click.exceptions"):
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None:
            found.append(cls)
    return tuple(found)


def usage_error_line(exc: BaseException, args: list[str]) -> str:
    """`phase-router: error: <what>; try 'phase-router gen -h'`: one line that points to the help
    of the subcommand given (Click reports some errors without a context, or in the group's,
    whose help would not list the option at fault)."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "phase-router"
    if where == "phase-router":  # no context, or the group's: name the subcommand given, if any
        given = next((arg for arg in args if arg in COMMANDS), None)
        if given is not None:
            where = f"phase-router {given}"
    message = " ".join(exc.format_message().split()).rstrip(".")
    return f"phase-router: error: {message}; try '{where} -h'"


def run(args: Optional[list[str]] = None) -> int:
    """The command line `args` (default: sys.argv[1:]) run; the exit status. No arguments: the
    help on stdout, 0. Usage errors (a bad option value, an unknown option, a missing argument)
    are one line on stderr naming the subcommand's help, 2, like every other error, instead of
    Click's box."""
    args = sys.argv[1:] if args is None else list(args)
    # Only the command given is imported; no command (the help, completion): all of them.
    given = next((arg for arg in args if not arg.startswith("-")), None)
    application = build_app([given]) if given in COMMANDS else build_app()
    resume_gc()  # the command's modules are loaded: collections resume (launch_phase_router/startup_gc.py)
    try:
        code = application(args=args, prog_name="phase-router", standalone_mode=False)
    except Exception as exc:
        if not isinstance(exc, _click_classes("UsageError")):
            raise
        print(usage_error_line(exc, args), file=sys.stderr)
        return 2
    return code if isinstance(code, int) else 0


def main() -> None:
    """The `phase-router` command (run). SIGINT, SIGTERM and SIGHUP stop it, running kernels
    included, within a second: one line, exit 130, 143 or 129 (launch_phase_router installs the
    handlers before anything heavy is imported)."""
    from launch_phase_router.signals import SIGNALS, exit_interrupted, install_handlers, interrupt_within

    install_handlers()  # again, for `python -m phase_router` and callers of main()
    _core.set_cancel_signals([s for s in SIGNALS if signal.getsignal(s) is not signal.SIG_IGN])
    try:
        code = run()
    except KeyboardInterrupt as exc:  # outside a command's error boundary (parsing, imports)
        exit_interrupted(exc)
    except Exception as exc:
        if isinstance(exc, _click_classes("Abort")):  # Ctrl-C while Click itself was parsing or prompting
            exit_interrupted(KeyboardInterrupt())
            return
        interrupt = interrupt_within(exc)  # a signal's interrupt wrapped by the code it landed in
        if interrupt is None:
            raise
        exit_interrupted(interrupt)
    sys.exit(code)


def __getattr__(name: str) -> object:
    if name == "app":  # the whole application (help, completion, tests), built on first use
        from . import application

        return application.app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main", "run", "usage_error_line"]

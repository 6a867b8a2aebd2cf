"""A command run in a new process forked from a warm interpreter, instead of a new interpreter.

Most of a `phase-router` launch is start-up: importing NumPy, the core and the CLI takes about
0.7 CPU-seconds, the command itself a few milliseconds. Tests that need a process of their own
(an exit status from a signal, a resource limit, a hook that patches a module, a crash that must
not take the test runner with it) run it here: one server per pytest worker imports the package
once and forks a child per command. The child is a real process (its own pid, file descriptors,
limits and exit status, a signal kills it as it would kill the command) whose modules happen to
be imported already.

Commands the fork cannot stand for run as ordinary subprocesses: an environment that differs in
a variable read at start-up (the CPU path, OpenMP settings, anything not in SAFE_ENV), or a
command line that is not the installed `phase-router`, `python -m phase_router` or `python -c`.
The server never runs a kernel itself, so no OpenMP thread pool exists when it forks.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence

CONSOLE_SCRIPT = Path(sys.executable).parent / "phase-router"

# Variables a command reads while it runs, not while it starts: a child may set them itself.
SAFE_ENV = {"COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "PHASE_ROUTER_MEMORY_ESTIMATE",
            "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"}

_SERVER = r'''
import atexit, base64, io, json, os, runpy, selectors, signal, sys, threading, traceback
import numpy, phase_router, phase_router.cli, launch_phase_router  # the start-up the children skip
requests, replies = sys.stdin.buffer, sys.stdout.buffer


def child(request, stdin, stdout, stderr, parent_ends):
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, source in enumerate((stdin, stdout, stderr)):
        os.dup2(source, fd)
    # Only the descriptors this request opened: closing all of them (as exec does) would pull
    # descriptors from under objects the server's modules hold, which close them again later.
    for fd in {stdin, stdout, stderr, *parent_ends} - {None, 0, 1, 2}:
        os.close(fd)
    sys.stdin = sys.__stdin__ = open(0, "r", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", closefd=False)
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(open(2, "wb", buffering=0, closefd=False),
                                                   errors="backslashreplace", line_buffering=True)
    kind, argv = request["kind"], request["argv"]
    measured = None
    if request["coverage"]:  # the suite runs under coverage: measure the command too
        import coverage
        measured = coverage.Coverage(data_suffix=True, **request["coverage"])
        # its warnings would land in the command's stderr: the modules were imported before it
        # started (the server's start-up), and a command may run none of the measured code
        measured.set_option("run:disable_warnings", ["module-not-measured", "no-data-collected", "module-not-imported"])
        measured.start()
    code = 0
    try:
        if kind == "script":
            sys.argv = ["phase-router", *argv]
            launch_phase_router.main()
        elif kind == "module":
            sys.argv = ["-m", *argv]
            runpy.run_module("phase_router", run_name="__main__", alter_sys=True)
        else:
            sys.argv = ["-c", *argv[1:]]
            exec(compile(argv[0], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:  # as the interpreter does: a traceback, then death by SIGINT
        traceback.print_exc()
        code = -signal.SIGINT
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        threading._shutdown()
        atexit._run_exitfuncs()
        if measured is not None:
            measured.stop()
            measured.save()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        if code < 0:
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        os._exit(code & 0xFF)


def communicate(pid, stdin, stdout, stderr, data):
    # subprocess.communicate's loop: feed stdin, drain both outputs until they close
    selector, outputs = selectors.DefaultSelector(), {stdout: [], stderr: []}
    for fd in outputs:
        selector.register(fd, selectors.EVENT_READ)
    if stdin is not None:
        os.set_blocking(stdin, False)
        selector.register(stdin, selectors.EVENT_WRITE)
    while selector.get_map():
        for key, _ in selector.select():
            if key.fd == stdin:
                try:
                    data = data[os.write(stdin, data[:1 << 16]):]
                except BrokenPipeError:
                    data = b""
                if not data:
                    selector.unregister(stdin)
                    os.close(stdin)
            else:
                chunk = os.read(key.fd, 1 << 16)
                if chunk:
                    outputs[key.fd].append(chunk)
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    selector.close()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(outputs[stdout]), b"".join(outputs[stderr])


signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # a child that stops reading its stdin
for line in requests:
    request = json.loads(line)
    data = None if request["input"] is None else base64.b64decode(request["input"])
    stdin_read, stdin_write = os.pipe() if data is not None else (os.open(os.devnull, os.O_RDONLY), None)
    stdout_read, stdout_write = os.pipe()
    stderr_read, stderr_write = os.pipe()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        child(request, stdin_read, stdout_write, stderr_write, (stdin_write, stdout_read, stderr_read))
    for fd in (stdin_read, stdout_write, stderr_write):
        os.close(fd)
    replies.write(f"{pid}\n".encode())
    replies.flush()
    code, out, err = communicate(pid, stdin_write, stdout_read, stderr_read, data or b"")
    reply = {"returncode": code, "stdout": base64.b64encode(out).decode(), "stderr": base64.b64encode(err).decode()}
    replies.write(json.dumps(reply).encode() + b"\n")
    replies.flush()
'''

_lock = threading.Lock()
_server: subprocess.Popen | None = None


_server_env: dict[str, str] = {}  # the environment the server started with


def _start(env: dict[str, str]) -> subprocess.Popen:
    """The server for a command whose environment is `env`: a new one when the running server
    started under other start-up variables (a test may have changed this process's)."""
    global _server
    if _server is not None and _server.poll() is None and not _same_start_up(env, _server_env):
        _server.kill()
        _server.wait()
        _server = None
    if _server is None or _server.poll() is not None:
        # started outside the source tree, so that an installed (non-editable) package is what it imports
        _server = subprocess.Popen([sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   env=env, cwd=tempfile.gettempdir())
        _server_env.clear()
        _server_env.update(env)
        _pending.clear()
        atexit.register(_server.kill)
    return _server


def _same_start_up(env: dict[str, str], other: dict[str, str]) -> bool:
    changed = {key for key in set(env) | set(other) if env.get(key) != other.get(key)}
    return changed <= SAFE_ENV


_pending = bytearray()  # what the server sent beyond the last line read


def _read_line(server: subprocess.Popen, timeout: float | None) -> str:
    """One line from the server, waiting at most `timeout` seconds for it (the pipe is read
    with os.read, so select() sees everything that is not yet consumed)."""
    fd = server.stdout.fileno()
    deadline = None if timeout is None else time.monotonic() + timeout
    while b"\n" not in _pending:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise RuntimeError("the warm-process server ended")
        _pending.extend(chunk)
    end = _pending.index(b"\n")
    line = bytes(_pending[:end])
    del _pending[:end + 1]
    return line.decode().strip()


def _kind(args: Sequence[str]) -> tuple[str, list[str]] | None:
    if args and Path(args[0]) == CONSOLE_SCRIPT:
        return "script", list(args[1:])
    if len(args) >= 2 and args[0] == sys.executable and args[1] == "-m" and args[2:3] == ["phase_router"]:
        return "module", list(args[3:])
    if len(args) >= 2 and args[0] == sys.executable and args[1] == "-c":
        return "c", list(args[2:])
    return None


def _env_is_warm(env: dict | None) -> bool:
    """Whether a command given `env` may fork from a server started with this process's own
    environment: they differ only in variables read after start-up."""
    return env is None or _same_start_up(env, dict(os.environ))


def _coverage_settings() -> dict | None:
    """Where the test process's coverage measurement keeps its data, if it runs under one: a
    command's child writes a parallel data file next to it, which pytest-cov combines."""
    try:
        import coverage
    except ImportError:
        return None
    current = coverage.Coverage.current() if hasattr(coverage.Coverage, "current") else None
    if current is None:
        return None
    return {"data_file": os.path.abspath(current.config.data_file), "config_file": current.config.config_file}


def run(args: Sequence[object], *, cwd: object = None, env: dict | None = None, input: str | bytes | None = None,
        timeout: float | None = 300, text: bool = True) -> subprocess.CompletedProcess:
    """subprocess.run(args, capture_output=True, ...) for a `phase-router` command line,
    `[sys.executable, "-m", "phase_router", ...]` or `[sys.executable, "-c", SCRIPT, ...]`."""
    args = [str(arg) for arg in args]
    kind = _kind(args)
    if kind is None or not _env_is_warm(env):
        return subprocess.run(args, cwd=cwd, env=env, input=input, timeout=timeout, capture_output=True, text=text)
    data = input.encode() if isinstance(input, str) else input
    request = {"kind": kind[0], "argv": kind[1], "cwd": os.path.abspath(cwd or os.getcwd()),
               "env": dict(os.environ if env is None else env), "coverage": _coverage_settings(),
               "input": None if data is None else base64.b64encode(data).decode()}
    with _lock:
        server = _start(dict(os.environ))
        server.stdin.write(json.dumps(request).encode() + b"\n")
        server.stdin.flush()
        pid = int(_read_line(server, None))
        try:
            reply = json.loads(_read_line(server, timeout))
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            _read_line(server, None)
            raise subprocess.TimeoutExpired(args, timeout) from None
    out, err = (base64.b64decode(reply[name]) for name in ("stdout", "stderr"))
    if text:
        out, err = out.decode(), err.decode()
    return subprocess.CompletedProcess(args, reply["returncode"], out, err)

"""`route`'s outputs come from io/route_sinks: a sink registered by one class and one register()
line (here, in a fresh interpreter, before the CLI is imported) gets its option, its help, the
extension, writable, distinct-path and one-stdout checks, and is written chunk by chunk."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

class Finished(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


PLUGIN = '''
import sys
import numpy as np
from phase_router.io.route_sinks import OutputOption, RouteSink, register

class CountsSink(RouteSink):
    extensions = (".txt",)

    def __init__(self, path, batch, *, M, k, E):
        self._handle = batch.open(path)

    def write(self, first_row, routes):
        self._handle.write("".join(f"{first_row + i} {n}\\n" for i, n in enumerate((routes >= 0).sum(axis=1))).encode())

    def close(self):
        self._handle.close()

register(OutputOption("route counts", "--counts", "Write the routes per source row as text.", (CountsSink,),
                      what="route counts"))

from phase_router.cli import main
if sys.argv[1:2] == ["--each"]:  # several command lines (a JSON list) through main(), one by one
    import json
    sys.path.insert(0, sys.argv[3])  # tests/, for the in-process runner the other CLI tests use
    from main_in_process import run_main
    finished = [[done.returncode, done.stdout, done.stderr] for done in map(run_main, json.loads(sys.argv[2]))]
    print(json.dumps(finished))
else:
    sys.argv = ["phase-router", *sys.argv[1:]]
    main()
'''


def _route(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PLUGIN, *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=tempfile.gettempdir())  # not the source tree: the installed package


def test_a_registered_sink_is_written_chunk_by_chunk(tmp_path: Path) -> None:
    counts, routes = tmp_path / "c.txt", tmp_path / "r.npy"
    done = _route("route", SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 4, "--chunk-rows", 10, "--counts", counts,
                  "--out", routes, "--json")
    assert done.returncode == 0, done.stderr
    expected = (np.load(routes) >= 0).sum(axis=1)
    lines = counts.read_text().splitlines()
    assert lines == [f"{row} {n}" for row, n in enumerate(expected)]
    assert f'"route counts": "{counts}"' in done.stdout


def _route_each(*command_lines) -> list[Finished]:
    """Several command lines in one interpreter with the sink registered: one start-up, not one
    per check."""
    argvs = [[str(a) for a in argv] for argv in command_lines]
    done = _route("--each", json.dumps(argvs), Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr
    return [Finished(*result) for result in json.loads(done.stdout)]


def test_a_registered_sink_has_its_option_and_checks(tmp_path: Path) -> None:
    inputs = (SAMPLES / "S.pbm", SAMPLES / "T.pbm", "-k", 4)
    shown_help, wrong_extension, two_on_stdout, same_file, missing_directory = _route_each(
        ("route", "--help"),
        ("route", *inputs, "--counts", tmp_path / "c.bin"),
        ("route", *inputs, "--counts", "-", "--out", "-"),
        ("route", *inputs, "--counts", tmp_path / "c.txt", "--stats", tmp_path / "c.txt"),
        ("route", *inputs, "--counts", tmp_path / "missing" / "c.txt"),
    )
    # the help panel wraps at the terminal width, which differs between Rich versions: compare words
    help_words = " ".join(shown_help.stdout.replace("│", " ").split())
    assert "--counts" in help_words and "Write the routes per source row as text." in help_words
    done = wrong_extension
    assert done.returncode == 2 and f"{tmp_path / 'c.bin'}: route counts are written as .txt, not '.bin'" in done.stderr
    done = two_on_stdout
    assert done.returncode == 2 and "only one output can go to standard output, got --out - and --counts -" in done.stderr
    done = same_file
    assert done.returncode == 2 and "--counts names the same file as the output --stats" in done.stderr
    done = missing_directory
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert list(tmp_path.iterdir()) == []

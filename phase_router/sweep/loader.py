"""Loading a sweep config: YAML -> SweepConfig, with every problem reported as ONE line that
names the file and the key path (e.g. `inputs[0].density[1]`), before any work starts."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional, Sequence, Union

import yaml
from pydantic import ValidationError

from ..errors import InputFileError, InvalidInputError
from ..inputs.generators import PER_ENTRY_GENERATORS, PER_ENTRY_MAX
from ..io.files import STDIN_NAME
from .config import FileInput, SweepConfig, resolve
from .config_errors import MAX_SHOWN, describe

# `uniform` (and `adversarial`, which routes a uniform input first) draws one 64-bit word per
# matrix entry; beyond this many entries a cell would take minutes, so configs asking for more are
# refused when they are loaded (the generators refuse them too).
UNIFORM_MAX_ENTRIES = PER_ENTRY_MAX


class ConfigError(InputFileError):
    """A sweep config is not valid: every problem (the first MAX_SHOWN, then how many more there
    are), each naming the key path. `lines` has a line per problem, each naming the file, for
    the CLI to print; the text itself stays one line, as every PhaseRouterError's, with the
    problems separated by ` | `."""

    def __init__(self, path: Union[str, os.PathLike], problems: Union[str, Sequence[str]]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = [" ".join(problem.split()) for problem in self.problems[:MAX_SHOWN]]
        more = len(self.problems) - len(shown)
        if more:
            shown.append(f"... and {more} more problem{'s' if more > 1 else ''} (fix these first)")
        super().__init__(path, " | ".join(shown))
        self.lines = [f"{self.path}: {problem}" for problem in shown]


# Deeper than any config needs (the deepest real key path is expect[i].where.k[j], depth 5);
# PyYAML composes recursively, so a document nested thousands deep ends in RecursionError.
MAX_DEPTH = 50


class _StrictYAMLError(yaml.YAMLError):
    def __init__(self, problem: str, mark) -> None:
        super().__init__(problem)
        self.problem, self.problem_mark = problem, mark


class StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses what a config must never silently accept: a key given twice
    in one mapping (SafeLoader keeps the last), nesting deeper than MAX_DEPTH, and YAML 1.1's
    yes/no/on/off/y/n booleans (a boolean key takes only true or false; the others stay strings
    and the typed model refuses them)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise _StrictYAMLError(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: SafeLoader reports it itself
                continue
            if first is not key_node:
                raise _StrictYAMLError(f"duplicate key {key!r} (first given at line {first.start_mark.line + 1})",
                                       key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def load_config(path: str | os.PathLike[str], shown: Optional[str] = None) -> SweepConfig:
    """The config in `path`. Errors name the file `shown` if given (`<stdin>` for a copy of
    standard input, whose sweep is then named "stdin"), else by its path."""
    path = Path(path)
    display = shown if shown is not None else path
    if not path.is_file():
        raise ConfigError(display, "no such file" if not path.exists() else "not a file")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        # A ReaderError (control character) has no problem text and a two-line str(); the CLI
        # prints this as one line, so collapse whitespace (found by fuzzing, tests/fuzz_corpus).
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ConfigError(display, f"not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(display, f"cannot read: {exc}") from None
    except RecursionError:  # a backstop: MAX_DEPTH stops composition long before this
        raise ConfigError(display, "not valid YAML: nested too deeply") from None
    return parse_config(data, path, shown=shown)


def parse_config(data: object, path: str | os.PathLike[str] = "<config>", shown: Optional[str] = None) -> SweepConfig:
    """Validate already-parsed YAML; relative file paths are taken from `path`'s directory;
    errors name the file `shown`, or `path`."""
    path = Path(path)
    display = shown if shown is not None else path
    if not isinstance(data, dict):
        raise ConfigError(display, f"the top level must be a mapping of keys, got {type(data).__name__}")
    try:
        config = SweepConfig.model_validate(data, context={"base_dir": str(path.parent)})
    except ValidationError as exc:
        raise ConfigError(display, describe(exc)) from None
    if config.name is None:
        config = config.model_copy(update={"name": "stdin" if shown == STDIN_NAME else Path(display).stem})
    try:
        _check_feasible(config, path.parent)
    except InvalidInputError as exc:
        raise ConfigError(display, str(exc)) from None
    return config


def _check_feasible(config: SweepConfig, base: Path) -> None:
    """Checks that need more than one key: sizes, file formats, kernel features."""
    from .._internal.routes import check_output_fits
    from ..io.shape import matrix_file_shape

    dims = [s.dims for s in config.shapes]
    for i, spec in enumerate(config.inputs):
        if getattr(spec, "generator", None) in PER_ENTRY_GENERATORS:
            for M, E in dims:
                if M * E > UNIFORM_MAX_ENTRIES:
                    raise InvalidInputError(
                        f"inputs[{i}]: {spec.generator} draws one word per matrix entry, and shape {M} x {E} has "
                        f"{M * E:,} entries, above the limit {UNIFORM_MAX_ENTRIES:,}; use uniform-1-k, "
                        f"exact-k or moe for large shapes"
                    )
        if isinstance(spec, FileInput):
            shape_S = matrix_file_shape(resolve(spec.S, base=base))
            shape_T = matrix_file_shape(resolve(spec.T, base=base))
            if shape_T != shape_S[::-1]:
                raise InvalidInputError(
                    f"inputs[{i}]: T is {shape_T[0]} x {shape_T[1]}, but S is {shape_S[0]} x {shape_S[1]}, "
                    f"so T must be {shape_S[1]} x {shape_S[0]}"
                )
            dims_i = [shape_S]
        else:
            dims_i = dims
        for M, _ in dims_i:
            check_output_fits(M, max(config.k))

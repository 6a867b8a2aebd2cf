"""Loading a sweep config: YAML -> SweepConfig, with every problem reported as ONE line that
names the file and the key path (e.g. `inputs[0].density[1]`), before any work starts."""

from __future__ import annotations

import os
import re
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ..errors import InputFileError, InvalidInputError
from ..inputs.generators import PER_ENTRY_GENERATORS, PER_ENTRY_MAX
from .config import INPUT_KINDS, FileInput, SweepConfig, resolve

# `uniform` (and `adversarial`, which routes a uniform input first) draws one 64-bit word per
# matrix entry; beyond this many entries a cell would take minutes, so configs asking for more are
# refused when they are loaded (the generators refuse them too).
UNIFORM_MAX_ENTRIES = PER_ENTRY_MAX


class ConfigError(InputFileError):
    """A sweep config is not valid; the message names the file and the key path."""


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


def load_config(path: str | os.PathLike[str]) -> SweepConfig:
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, "no such file" if not path.exists() else "not a file")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=StrictLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        # A ReaderError (control character) has no problem text and a two-line str(); the CLI
        # prints this as one line, so collapse whitespace (found by fuzzing, tests/fuzz_corpus).
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ConfigError(path, f"not valid YAML{where}: {problem}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from None
    except RecursionError:  # a backstop: MAX_DEPTH stops composition long before this
        raise ConfigError(path, "not valid YAML: nested too deeply") from None
    return parse_config(data, path)


def parse_config(data: object, path: str | os.PathLike[str] = "<config>") -> SweepConfig:
    """Validate already-parsed YAML; relative file paths are taken from `path`'s directory."""
    path = Path(path)
    if not isinstance(data, dict):
        raise ConfigError(path, f"the top level must be a mapping of keys, got {type(data).__name__}")
    try:
        config = SweepConfig.model_validate(data, context={"base_dir": str(path.parent)})
    except ValidationError as exc:
        raise ConfigError(path, _describe(exc)) from None
    if config.name is None:
        config = config.model_copy(update={"name": path.stem})
    try:
        _check_feasible(config, path.parent)
    except InvalidInputError as exc:
        raise ConfigError(path, str(exc)) from None
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


def _describe(exc: ValidationError) -> str:
    """The first error as `key.path: what is wrong`, plus how many more there are."""
    errors = _seed_branch(exc.errors(include_url=False))
    # An unknown key usually explains the rest (a typo also makes a required key "missing"); after
    # that, the deepest error is the most specific (for seeds, the branch that matches the value).
    first = min(errors, key=lambda e: (e["type"] != "extra_forbidden", -len(e["loc"])))
    loc = _strip_tags(first["loc"])
    where = _key_path(loc) or "(top level)"
    kind, message = first["type"], first["msg"]
    value = first.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(first["loc"][:-1])
        where = _key_path(loc[:-1]) or "(top level)"
        message = f"unknown key {loc[-1]!r}" + (f"; allowed keys: {', '.join(allowed)}" if allowed else "")
    elif kind == "union_tag_invalid":
        message = f"unknown generator {value.get('generator')!r}; known: {', '.join(INPUT_KINDS)}"
    elif kind == "union_tag_not_found":
        message = f"missing key 'generator' (one of: {', '.join(INPUT_KINDS)})"
    elif kind == "missing":
        where = _key_path(loc[:-1]) or "(top level)"
        message = f"missing required key {loc[-1]!r}"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
        inner = re.match(r"^([A-Za-z_][\w\[\]\.]*): ", message)
        if where == "(top level)" and inner:  # a cross-key check that names its own key path
            where, message = inner.group(1), message[inner.end():]
    else:
        message = f"{message[0].lower()}{message[1:]}, got {_show(value)}"
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where}: {message}{more}"


SEED_BRANCHES = {"constrained-int": int, "SeedRange": dict}  # the rest: the explicit list


def _seed_branch(errors: list) -> list:
    """`seeds` is a count, a list or a range; report only the form the value was written in."""
    top = next((e["input"] for e in errors if e["loc"][:2] == ("seeds", "constrained-int")), None)
    if top is None:
        return errors
    branch = next((tag for tag, kind in SEED_BRANCHES.items() if isinstance(top, kind)), "list[")
    kept = [e for e in errors if e["loc"][:1] != ("seeds",) or _in_branch(str(e["loc"][1]), branch)]
    if isinstance(top, bool) or not isinstance(top, (int, list, dict)):
        return [{**errors[0], "type": "value_error", "loc": ("seeds",), "input": top,
                 "msg": f"seeds must be a count N (seeds 0..N-1), a list of seeds, or a range "
                        f"{{start, count}} / {{start, stop}}; got {_show(top)}"}]
    return kept or errors


def _in_branch(tag: str, branch: str) -> bool:
    return tag == branch if branch == "constrained-int" else (branch in tag if branch == "SeedRange" else tag.startswith(branch))


def _strip_tags(loc: tuple) -> tuple:
    """Pydantic puts the union member's tag in the path (inputs.0.uniform.density); drop it."""
    out: list = []
    for i, part in enumerate(loc):
        if i >= 2 and loc[0] == "inputs" and i == 2 and part in INPUT_KINDS:
            continue
        if part in ("constrained-int", "SeedRange", "int", "float") or str(part).startswith("function-after[") or (isinstance(part, str) and part.startswith("list[")):
            continue
        out.append(part)
    return tuple(out)


def _key_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _show(value: object) -> str:
    text = repr(value)
    kind = type(value).__name__
    return f"{text if len(text) <= 60 else text[:57] + '...'} ({kind})"


def _allowed_keys(loc: tuple) -> list[str]:
    """The keys the model at `loc` (pydantic's path, union tags included) accepts."""
    node: object = SweepConfig
    for part in loc:
        node = _unwrap(node)
        if isinstance(part, int):
            args = typing.get_args(node)
            node = args[0] if args else None
        elif typing.get_origin(node) is typing.Union:  # a tagged input entry: pick the member
            node = next((m for m in typing.get_args(node) if _tag(m) == part), None)
        elif isinstance(node, type) and issubclass(node, BaseModel) and part in node.model_fields:
            node = node.model_fields[part].annotation
        else:
            return []
    node = _unwrap(node)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def _tag(member: object) -> object:
    fields = getattr(member, "model_fields", {})
    return typing.get_args(fields["generator"].annotation)[0] if "generator" in fields else None


def _unwrap(node: object) -> object:
    while typing.get_origin(node) is typing.Annotated:
        node = typing.get_args(node)[0]
    args = [a for a in typing.get_args(node) if a is not type(None)]
    if typing.get_origin(node) is typing.Union and len(args) == 1:
        return _unwrap(args[0])
    return node

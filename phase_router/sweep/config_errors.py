"""A sweep config's validation errors in the tool's own words: `key.path: what is wrong`, one
problem per line, whatever wording the installed pydantic release uses (errors are read by their
type and context, which pydantic 2.0 and later share, never by their message)."""

from __future__ import annotations

import re
import reprlib
import typing
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from .config import INPUT_KINDS, SweepConfig

MAX_SHOWN = 10  # problems listed; the rest are counted


def describe(exc: ValidationError) -> list[str]:
    """Every problem as `key.path: what is wrong`, an unknown key first (a typo also makes a
    required key "missing", and the unknown key explains it), duplicates once."""
    errors = _one_type_error_per_key(_seed_branch(exc.errors(include_url=False)))
    ordered = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")  # stable: pydantic's order otherwise
    return list(dict.fromkeys(_problem(error) for error in ordered))


def _one_type_error_per_key(errors: list) -> list:
    """A value that fits no member of a union (an integer or a number) fails once per member;
    keep the last, the widest (a number), once."""
    last = {}
    for i, error in enumerate(errors):
        if error["type"].split("_", 1)[0] in FAMILIES:
            last[_strip_tags(error["loc"])] = i
    return [e for i, e in enumerate(errors)
            if e["type"].split("_", 1)[0] not in FAMILIES or last[_strip_tags(e["loc"])] == i]


def _problem(error: dict) -> str:
    loc = _strip_tags(error["loc"])
    where = _key_path(loc) or "(top level)"
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = _allowed_keys(error["loc"][:-1])
        return (f"{_key_path(loc[:-1]) or '(top level)'}: unknown key {loc[-1]!r}"
                + (f"; allowed keys: {', '.join(allowed)}" if allowed else ""))
    if kind == "missing":
        return f"{_key_path(loc[:-1]) or '(top level)'}: missing required key {loc[-1]!r}"
    if kind == "union_tag_invalid":
        return f"{where}: unknown generator {value.get('generator')!r}; known: {', '.join(INPUT_KINDS)}"
    if kind == "union_tag_not_found":
        return f"{where}: missing key 'generator' (one of: {', '.join(INPUT_KINDS)})"
    if kind == "value_error":  # our validators' own sentences, after pydantic's prefix
        message = re.sub(r"^Value error, ", "", error["msg"])
        inner = re.match(r"^([A-Za-z_][\w\[\]\.]*): ", message)
        if where == "(top level)" and inner:  # a cross-key check that names its own key path
            return f"{inner.group(1)}: {message[inner.end():]}"
        return f"{where}: {message}"
    phrase = PHRASES.get(kind) or _family_phrase(kind)
    if phrase is not None:
        return f"{where}: {phrase(value, ctx)}"
    return f"{where}: {error['msg'][:1].lower()}{error['msg'][1:]}, got {show(value)}"  # a type not mapped yet


def _choices(ctx: dict) -> str:
    """The allowed values of a Literal, from pydantic's `'a', 'b' or 'c'`, as `a, b, c`."""
    return ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))


def _items(count: Any) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


Phrase = Callable[[Any, dict], str]
PHRASES: dict[str, Phrase] = {
    "greater_than_equal": lambda v, c: f"must be at least {c['ge']}, got {show(v)}",
    "greater_than": lambda v, c: f"must be greater than {c['gt']}, got {show(v)}",
    "less_than_equal": lambda v, c: f"must be at most {c['le']}, got {show(v)}",
    "less_than": lambda v, c: f"must be less than {c['lt']}, got {show(v)}",
    "literal_error": lambda v, c: f"{v!r} is not one of {_choices(c)}",
    "too_short": lambda v, c: f"must have at least {_items(c.get('min_length'))}, got {show(v)}",
    "too_long": lambda v, c: f"must have at most {_items(c.get('max_length'))}",
    "string_too_short": lambda v, c: f"must be at least {c.get('min_length')} character(s) long, got {show(v)}",
    "string_too_long": lambda v, c: f"must be at most {c.get('max_length')} characters long, got {show(v)}",
    "string_pattern_mismatch": lambda v, c: f"must be a plain name (letters, digits, '.', '_', '-'), got {show(v)}",
    "list_type": lambda v, c: f"must be a list, got {show(v)}",
    "dict_type": lambda v, c: f"must be a mapping of keys, got {show(v)}",
    "model_type": lambda v, c: f"must be a mapping of keys, got {show(v)}",
    "model_attributes_type": lambda v, c: f"must be a mapping of keys, got {show(v)}",
}
# Type errors come in families (int_type, int_parsing, int_from_float, ...): one phrase each.
FAMILIES: dict[str, str] = {"int": "must be an integer", "float": "must be a number",
                            "bool": "must be true or false", "string": "must be a string",
                            "finite": "must be a finite number"}


def _family_phrase(kind: str):
    family = kind.split("_", 1)[0]
    if family in FAMILIES and kind not in PHRASES:
        return lambda v, c: f"{FAMILIES[family]}, got {show(v)}"
    return None


SEED_BRANCHES = {"constrained-int": int, "SeedRange": dict}  # the rest: the explicit list


def _seed_branch(errors: list) -> list:
    """`seeds` is a count, a list or a range; report only the form the value was written in."""
    top = next((e["input"] for e in errors if e["loc"][:2] == ("seeds", "constrained-int")), None)
    if top is None:
        return errors
    branch = next((tag for tag, kind in SEED_BRANCHES.items() if isinstance(top, kind)), "list[")
    kept = [e for e in errors if e["loc"][:1] != ("seeds",) or _in_branch(str(e["loc"][1]), branch)]
    if isinstance(top, bool) or not isinstance(top, (int, list, dict)):
        others = [e for e in errors if e["loc"][:1] != ("seeds",)]
        return [{**errors[0], "type": "value_error", "loc": ("seeds",), "input": top, "ctx": {},
                 "msg": f"seeds must be a count N (seeds 0..N-1), a list of seeds, or a range "
                        f"{{start, count}} / {{start, stop}}; got {show(top)}"}, *others]
    return kept or errors


def _in_branch(tag: str, branch: str) -> bool:
    return tag == branch if branch == "constrained-int" else (branch in tag if branch == "SeedRange" else tag.startswith(branch))


def _strip_tags(loc: tuple) -> tuple:
    """Pydantic puts the union member's tag in the path (inputs.0.uniform.density); drop it."""
    out: list = []
    for i, part in enumerate(loc):
        if i == 2 and loc[0] == "inputs" and part in INPUT_KINDS:
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


# Bounded: a YAML alias bomb is a value of billions of items, and a full repr of it would take
# minutes (and gigabytes) to cut down to 60 characters.
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxset = 2, 8, 8, 6, 8
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 60, 60, 40


def show(value: object) -> str:
    text = _SHORT.repr(value)
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

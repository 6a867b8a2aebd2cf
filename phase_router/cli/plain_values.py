"""Command-line values converted as Typer converts them, without building Pydantic validators for
the plain kinds the commands declare: integers, floats, strings, paths, choices, and tuples and
lists of those.

Typer releases that convert values through Pydantic build one `TypeAdapter` per parameter when
the command line is parsed, even for a parameter left at its default; importing Pydantic and
building the adapters for `route`'s options costs about 50 ms of every run, before the command
starts. For the values a user types, the results are known without Pydantic: a decimal integer
is `int(text)`, a path `Path(text)`, a choice the member Typer's own choice matching returns, and
Typer's own path checks are called as they are. Anything else (a value these rules do not cover,
one out of bounds, one that fails a check, a parameter of another kind) goes to the converter
Typer builds itself, built only then, so every result and every error message is Typer's.

Where the installed Typer converts values without Pydantic (releases before its coercion layer
use Click's types) or its internals are not the ones this module was written against, nothing is
changed and Typer converts every value itself.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, Optional

# A decimal integer without spaces, underscores or a sign other than '-': Pydantic reads such a
# string exactly as int() does (longer ones may exceed Pydantic's own size limit).
_INTEGER = re.compile(r"-?[0-9]{1,30}")
# A plain decimal number: both Pydantic and float() round it correctly, so they agree.
_DECIMAL = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?")


class _Unconverted(Exception):
    """The value is one for Typer's own converter."""


def _typer_internals() -> Optional[dict[str, Any]]:
    """Typer's coercion pieces this module uses, or None when the installed Typer has none or
    other ones (the names and parameters are checked, since they are not Typer's public API)."""
    try:
        from typer import _coercion, _param_types, core
    except ImportError:
        return None
    found = {
        "RuntimeParam": getattr(_coercion, "RuntimeParam", None),
        "build_runtime_param": getattr(_coercion, "build_runtime_param", None),
        "coerce_cli_path": getattr(_param_types, "coerce_cli_path", None),
        "coerce_cli_choice": getattr(_param_types, "coerce_cli_choice", None),
        "literal_values": getattr(_param_types, "literal_values", None),
        "is_literal_type": getattr(_param_types, "is_literal_type", None),
    }
    if any(value is None for value in found.values()) or not hasattr(core, "_TyperParameter"):
        return None
    expected = {
        "RuntimeParam._coerce_value": (found["RuntimeParam"]._coerce_value, ["self", "value", "param", "ctx"]),
        "coerce_cli_path": (found["coerce_cli_path"], ["value", "parameter_info", "path_type", "param", "ctx"]),
        "coerce_cli_choice": (found["coerce_cli_choice"], ["value", "choices", "case_sensitive", "ctx"]),
    }
    for function, names in expected.values():
        if list(inspect.signature(function).parameters) != names:
            return None
    if not dataclasses.is_dataclass(found["RuntimeParam"]) or \
            [field.name for field in dataclasses.fields(found["RuntimeParam"])] != ["parameter_info", "annotation"]:
        return None
    return found


_TYPER = _typer_internals()


def _number(kind: type, value: Any, info: Any) -> Any:
    if info.clamp or info.parser is not None:
        raise _Unconverted
    if type(value) is str and (_INTEGER if kind is int else _DECIMAL).fullmatch(value):
        number = kind(value)
    elif type(value) is kind or (kind is float and type(value) is int):
        number = kind(value)
    else:
        raise _Unconverted
    if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        raise _Unconverted  # Typer states the bound in its own words
    return number


def _path(value: Any, info: Any, param: Any, ctx: Any) -> Any:
    if info.parser is not None or info.path_type is not None or type(value) is not str:
        raise _Unconverted
    try:
        return _TYPER["coerce_cli_path"](Path(value), info, path_type=Path, param=param, ctx=ctx)
    except Exception:  # a check failed: Typer's converter words it, naming the path as typed
        raise _Unconverted from None


def _choice(choices: Iterable[Any], value: Any, info: Any, ctx: Any) -> Any:
    if info.parser is not None:
        raise _Unconverted
    try:
        return _TYPER["coerce_cli_choice"](value, choices=list(choices), case_sensitive=info.case_sensitive, ctx=ctx)
    except ValueError:  # not one of the choices: Typer's converter words it
        raise _Unconverted from None


def _one(annotation: Any, value: Any, info: Any, param: Any, ctx: Any) -> Any:
    """One value of a scalar annotation, or _Unconverted."""
    if annotation is int or annotation is float:
        return _number(annotation, value, info)
    if annotation is str and info.parser is None and type(value) is str:
        return value
    if annotation is Path:
        return _path(value, info, param, ctx)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, value, info, ctx)
    if _TYPER["is_literal_type"](annotation):
        return _choice(_TYPER["literal_values"](annotation), value, info, ctx)
    raise _Unconverted


def _convert(annotation: Any, value: Any, info: Any, param: Any, ctx: Any) -> Any:
    origin = getattr(annotation, "__origin__", None)
    items = getattr(annotation, "__args__", ())
    if origin is tuple and items and Ellipsis not in items:
        if not isinstance(value, (list, tuple)) or len(value) != len(items):
            raise _Unconverted
        return tuple(_one(item, part, info, param, ctx) for item, part in zip(items, value))
    if origin is list and len(items) == 1:
        values = value if isinstance(value, (list, tuple)) else [value]
        return [_one(items[0], part, info, param, ctx) for part in values]
    return _one(annotation, value, info, param, ctx)


if _TYPER is not None:

    class PlainValue(_TYPER["RuntimeParam"]):  # type: ignore[misc,valid-type]
        """A parameter's converter: the plain conversions above, else Typer's own converter,
        built on first need. Typer's RuntimeParam.coerce handles a missing value first. (Not a
        dataclass itself: generating one's methods would cost more start-up than it saves.)"""

        def __init__(self, descriptor: Any) -> None:
            super().__init__(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            self.descriptor = descriptor
            self.typer_converter: Optional[Any] = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return _convert(self.annotation, value, self.parameter_info, param, ctx)
            except _Unconverted:
                pass
            if self.typer_converter is None:
                self.typer_converter = _TYPER["build_runtime_param"](self.descriptor)
            return self.typer_converter._coerce_value(value, param=param, ctx=ctx)


def use_plain_values(params: Iterable[Any]) -> None:
    """Give each of a command's Typer parameters the converter above, in place of the one Typer
    would build when it first converts a value (a file parameter keeps Typer's: it opens files
    and builds no validator)."""
    if _TYPER is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None or \
                getattr(descriptor, "file_annotation", None) is not None:
            continue
        param._runtime_param = PlainValue(descriptor)

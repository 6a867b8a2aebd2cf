"""`route`'s output options, made from the sink registry (io/route_sinks): the Typer options, the
checks before any work, the memory for writing one chunk, and the open sinks."""

from __future__ import annotations

import contextlib
import inspect
import typing
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from ..errors import InvalidInputError
from ..io.atomic import OutputBatch
from ..io.files import is_stream
from ..io.route_sinks import ROUTE_OUTPUTS, OutputOption, RouteSink
from .errors import check_distinct, check_writable
from .help_format import choice_metavar
from .streams import check_one_stdout, shown, stdout_output

OUTPUTS_PARAMETER = "outputs"  # the command's placeholder parameter, replaced by one option per output


def _format_choices(output: OutputOption) -> type[Enum]:
    names = [ext.lstrip(".") for ext in output.stream_formats()]
    return Enum(f"{output.param.title()}Format", {name: name for name in names}, type=str)


_CHOICES = {key: _format_choices(output) for key, output in ROUTE_OUTPUTS.items() if output.stream_format_option}


def _parameters() -> list[inspect.Parameter]:
    params = []
    for key, output in ROUTE_OUTPUTS.items():
        params.append(inspect.Parameter(output.param, inspect.Parameter.KEYWORD_ONLY, annotation=Optional[Path],
                                        default=typer.Option(None, output.option, metavar="FILE", help=output.help)))
        if key in _CHOICES:
            params.append(inspect.Parameter(
                output.format_param, inspect.Parameter.KEYWORD_ONLY, annotation=Optional[_CHOICES[key]],
                default=typer.Option(None, output.stream_format_option, help=output.stream_format_help,
                                     metavar=choice_metavar(member.value for member in _CHOICES[key]))))
    return params


def with_output_options(command: Callable[..., None]) -> Callable[..., None]:
    """The command with its `outputs` parameter replaced, for Typer (which reads the signature),
    by the registered outputs' options; it receives them as one RequestedOutputs."""
    hints = typing.get_type_hints(command)  # the annotations as objects (eval_str needs Python 3.10)
    signature = inspect.signature(command)
    names = [output.param for output in ROUTE_OUTPUTS.values()]
    names += [output.format_param for output in ROUTE_OUTPUTS.values() if output.stream_format_option]

    def run(**values: Any) -> None:
        requested = RequestedOutputs({name: values.pop(name) for name in names})
        command(**values, **{OUTPUTS_PARAMETER: requested})

    params = []
    for param in signature.parameters.values():
        if param.name == OUTPUTS_PARAMETER:
            params.extend(_parameters())
        else:
            params.append(param.replace(kind=inspect.Parameter.KEYWORD_ONLY,
                                        annotation=hints.get(param.name, param.annotation)))
    run.__signature__ = signature.replace(parameters=params, return_annotation=None)  # type: ignore[attr-defined]
    run.__annotations__ = {param.name: param.annotation for param in params}
    run.__name__, run.__qualname__, run.__doc__ = command.__name__, command.__qualname__, command.__doc__
    run.__module__ = command.__module__
    return run


class RequestedOutputs:
    """The output paths given on the command line, by output key, and what follows from them."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.paths = {key: values[output.param] for key, output in ROUTE_OUTPUTS.items()}
        self._stream_formats = {key: values[output.format_param] for key, output in ROUTE_OUTPUTS.items()
                                if output.stream_format_option}

    def given(self) -> Iterator[tuple[OutputOption, Any]]:
        for key, output in ROUTE_OUTPUTS.items():
            if self.paths[key] is not None:
                yield output, self.paths[key]

    def check_streams(self, as_json: bool) -> bool:
        """A stream format only for "-"; at most one output (or --json) on stdout. True when one
        output goes there (the summary then moves to stderr)."""
        for key, choice in self._stream_formats.items():
            output = ROUTE_OUTPUTS[key]
            if choice is not None and not is_stream(self.paths[key]):
                raise InvalidInputError(f"{output.stream_format_option} is for {output.option} - (files take the "
                                        "format from their extension)")
            self.paths[key] = stdout_output(self.paths[key], f".{choice.value}" if choice else "")
        named = [(f"{output.option} -", self.paths[key]) for key, output in ROUTE_OUTPUTS.items()]
        return check_one_stdout((*named, ("--json", True if as_json else None)))

    def check_paths(self, inputs) -> None:
        """Each path's extension, that it can be written, and that no two name the same file
        (nor an input's), before any work."""
        for output, path in self.given():
            output.sink_for(path)
        for output, path in self.given():
            check_writable(path, output.option)
        check_distinct([(output.option, self.paths[key]) for key, output in ROUTE_OUTPUTS.items()], inputs)

    def scratch_bytes(self, rows: int, k: int, E: int) -> int:  # noqa: N803
        """Memory to write one chunk of `rows` rows to every output."""
        return sum(output.sink_for(path).scratch_bytes(rows, k, E) for output, path in self.given())

    def shown(self) -> dict[str, str]:
        """Output name -> path as shown: the outputs written chunk by chunk first, then the summaries."""
        given = sorted(self.given(), key=lambda pair: not pair[0].sinks[0].per_chunk)
        return {output.key: shown(path) for output, path in given}

    @contextlib.contextmanager
    def opened(self, batch: OutputBatch, *, M: int, k: int, E: int) -> Iterator[list[RouteSink]]:  # noqa: N803
        """Every requested sink, open in `batch` (the per-chunk ones first), closed on the way out."""
        sinks: list[RouteSink] = []
        try:
            for output, path in sorted(self.given(), key=lambda pair: not pair[0].sinks[0].per_chunk):
                sinks.append(output.sink_for(path)(path, batch, M=M, k=k, E=E))
            yield sinks
        finally:
            for sink in sinks:
                sink.close()

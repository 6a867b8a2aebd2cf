"""What an output of `route` declares and does: a RouteSink writes routes as they come (or, for a
summary output, the statistics once the routing is done); an OutputOption is the command-line
option that names its file and the sinks that option may choose between by extension."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar, Optional

import numpy as np

from ...errors import InvalidInputError
from ..atomic import OutputBatch
from ..files import check_path


class RouteSink:
    """One output file of a routing. Chunks arrive in row order and cover every row once."""

    extensions: ClassVar[tuple[str, ...]] = ()  # lower case, with the dot; () takes any name
    per_chunk: ClassVar[bool] = True  # False: written from the summary alone, after the routing

    def __init__(self, path: str | os.PathLike[str], batch: OutputBatch, *, M: int, k: int, E: int) -> None:  # noqa: N803
        raise NotImplementedError

    def write(self, first_row: int, routes: np.ndarray) -> None:
        """Routes of rows first_row, first_row + 1, ... (int32, -1 padded)."""

    def summary(self, payload: dict) -> None:
        """The statistics, inputs, execution and outputs of the finished routing."""

    def close(self) -> None:
        """Called once, after the last write and the summary, or when the routing failed."""

    @classmethod
    def scratch_bytes(cls, rows: int, k: int, E: int) -> int:  # noqa: N803
        """Memory this sink allocates to write one chunk of `rows` rows (for --max-memory)."""
        return 0


@dataclass(frozen=True)
class OutputOption:
    """A `route` option naming an output, e.g. --out; "-" is standard output."""

    key: str  # the output's name in the statistics' "outputs" and the summary table
    option: str  # the command-line option
    help: str
    sinks: tuple[type[RouteSink], ...]  # chosen by the path's extension; the first when it takes any name
    what: str = ""  # in the refusal of an extension: "{what} are written as .npy or .csv"
    stream_format_option: Optional[str] = None  # chooses the sink for "-" (which has no extension)
    stream_format_help: str = ""
    stream_default: str = ""  # the extension "-" gets without stream_format_option

    @property
    def param(self) -> str:
        """The Python parameter behind the option."""
        return self.option.lstrip("-").replace("-", "_")

    @property
    def format_param(self) -> str:
        return (self.stream_format_option or "").lstrip("-").replace("-", "_")

    def stream_formats(self) -> tuple[str, ...]:
        """The extensions "-" can be written as, the default first."""
        extensions = [ext for sink in self.sinks for ext in sink.extensions]
        return tuple(sorted(extensions, key=lambda ext: ext != self.stream_default))

    def sink_for(self, path: str | os.PathLike[str]) -> type[RouteSink]:
        """The sink that writes `path`; an extension no sink takes is refused before any work."""
        check_path(path)
        if any(not sink.extensions for sink in self.sinks):
            return self.sinks[0]
        extensions = [ext for sink in self.sinks for ext in sink.extensions]
        if os.fspath(path) == "-":
            ext = getattr(path, "suffix", "") or self.stream_default
            if ext not in extensions:
                shown = " or ".join(e.lstrip(".") for e in extensions)
                raise InvalidInputError(f"{self.what} on stdout are written as {shown}, not {ext!r}")
        else:
            ext = os.path.splitext(os.fsdecode(path))[1].lower()
            if ext not in extensions:
                raise InvalidInputError(f"{os.fspath(path)}: {self.what} are written as {' or '.join(extensions)}, "
                                        f"not {ext or 'no extension'!r}")
        return next(sink for sink in self.sinks if ext in sink.extensions)

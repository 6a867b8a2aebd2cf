"""--stats: the routing statistics (with inputs, execution and outputs) as JSON."""

from __future__ import annotations

import os

from ..atomic import OutputBatch
from ..output_formats import write_json
from .base import OutputOption, RouteSink


class StatsJsonSink(RouteSink):
    """Written once from the summary; staged when written, so it joins the batch after the routes."""

    per_chunk = False

    def __init__(self, path: str | os.PathLike[str], batch: OutputBatch, *, M: int, k: int, E: int) -> None:  # noqa: N803
        self._path, self._batch = path, batch

    def summary(self, payload: dict) -> None:
        write_json(self._path, payload, self._batch)


OUTPUT = OutputOption("stats", "--stats",
                      "Write the routing statistics as JSON; - for stdout (the table then goes to stderr).",
                      (StatsJsonSink,))

"""The outputs `route` can write, one module each, registered below in the order their options
appear. The command's options, its checks before any work (extension, writable, distinct paths,
one output on stdout), the memory for writing a chunk and the writing loop come from here."""

from __future__ import annotations

from . import routes, routing_pbm, stats_json
from .base import OutputOption, RouteSink

ROUTE_OUTPUTS: dict[str, OutputOption] = {}


def register(output: OutputOption) -> None:
    ROUTE_OUTPUTS[output.key] = output


register(routes.OUTPUT)
register(stats_json.OUTPUT)
register(routing_pbm.OUTPUT)

__all__ = ["ROUTE_OUTPUTS", "OutputOption", "RouteSink", "register"]

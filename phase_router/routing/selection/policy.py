"""What a selection policy is, as the rest of the package sees it: one declaration per policy
(``Policy``), from which the API's ``select_options`` checks, the CLI's flags, shard refusal,
the memory estimate and the oracle tests are all derived."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..._internal.scalars import MAX_DIM, check_choice, check_count
from ...errors import InvalidInputError

if TYPE_CHECKING:
    from ..router import PreparedCandidates


@dataclass(frozen=True)
class Option:
    """One option of a policy, as ``select_options={name: value}`` and as ``--<name>`` on the
    command line. An integer in [minimum, maximum] unless ``choices`` lists the allowed strings.
    ``default`` is what the policy uses when the option is not given (None: the kernel decides,
    as ``default_help`` says)."""

    name: str
    help: str
    default: Any = None
    minimum: int = 1
    maximum: int = MAX_DIM
    choices: tuple[str, ...] = ()
    default_help: str = ""

    def check(self, value: object) -> int | str:
        if self.choices:
            return check_choice(value, self.choices, self.name)
        return check_count(value, self.name, minimum=self.minimum, maximum=self.maximum)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def describe(self) -> str:
        """The option's help with its range and default, as the CLI and the docstrings show it."""
        allowed = " | ".join(self.choices) if self.choices else f"integer in [{self.minimum}, {self.maximum}]"
        default = self.default_help or (repr(self.default) if self.default is not None else "the kernel's")
        return f"{self.help} ({allowed}; default {default})"


# (the kernel's report, the checked options) -> what the routing's statistics keep (stats.selection).
ReadReport = Callable[[dict, dict], dict]
# Declared options (checked, defaults not filled in) -> keyword arguments of the kernel binding.
KernelOptions = Callable[["PreparedCandidates", dict], dict]
# (M, E, k, threads, candidate pairs) -> bytes the kernel holds beyond the routes and the source's state.
ScratchBytes = Callable[[int, int, int, int, int], int]
# (candidate matrix O (M x E bool), t, k, seed, checked options, the candidates' weights (M x E int64,
# None: each weighs 1)) -> routes, by docs/SPEC.md literally.
Oracle = Callable[[np.ndarray, np.ndarray, int, int, dict, "np.ndarray | None"], np.ndarray]


@dataclass(frozen=True)
class ShardTask:
    """One shard's work for a policy that is not row-local: rows [begin, end) of the routing,
    shard number `shard` of the plan, and what the policy's reconciliation asks of them."""

    shard: int
    begin: int
    end: int
    options: dict


class ShardRunner:
    """Runs shard tasks where the shards live (this process, or Dask workers); a policy's
    reconciliation sees only the summaries. Each shard's routes are those of its latest task."""

    def run(self, tasks: list[ShardTask]) -> list[dict]:  # pragma: no cover - the protocol
        """Each task's summary, in task order; the task becomes its shard's latest."""
        raise NotImplementedError

    def routes_in_order(self, shards: list[int]) -> Iterator[np.ndarray]:  # pragma: no cover - the protocol
        """The routes of the shards' latest tasks, in the order given (kept from the run, or
        computed again: a task's routes are a function of the task)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Sharding:
    """How a policy that is not row-local is routed on shards (row ranges on separate processes):
    each shard's kernel, run where the shard lives, and the reconciliation that decides which
    tasks to run, seeing only their summaries. The result depends on the shard plan, never on
    how many processes run it."""

    # (router prepared on the worker, task, threads) -> (routes of the task's rows, summary)
    route_shard: Callable[["PreparedCandidates", ShardTask, "int | None"], "tuple[np.ndarray, dict]"]
    # (router, plan: (begin, end) per shard, runner) -> the selection report of the whole routing
    reconcile: Callable[["PreparedCandidates", "list[tuple[int, int]]", ShardRunner], dict]
    # (E, shards) -> bytes the reconciling process holds for the shards' summaries
    summary_bytes: Callable[[int, int], int] = lambda E, shards: 0  # noqa: N803


@dataclass(frozen=True)
class Policy:
    name: str
    summary: str
    # Row-local: a row's routes depend on its own candidates only (and the seed). Then any row
    # range is routed on its own, so chunks and Dask shards cost only their rows. A policy that is
    # not row-local routes all M rows in one pass (its kernel always gets begin=0, end=M); a row
    # range is a slice of that pass, and shards are refused with `not_row_local_because`.
    row_local: bool
    # The kernel: the name of its function in phase_router._core, called by selection/kernel.py.
    binding: str
    oracle: Oracle
    not_row_local_because: str = ""
    options: tuple[Option, ...] = ()
    kernel_options: KernelOptions = lambda router, options: dict(options)
    read_report: ReadReport = lambda report, options: dict(report)
    # A ValueError of the kernel turned into the error the user sees (e.g. a resource limit).
    kernel_error: Callable[[ValueError], Exception] | None = None
    scratch_bytes: ScratchBytes = lambda M, E, k, threads, pairs: 0  # noqa: N803
    # How a policy that is not row-local runs on shards; None: it refuses them
    # (`not_row_local_because`).
    sharding: Sharding | None = None

    @property
    def shardable(self) -> bool:
        """Whether row ranges can be routed by separate processes (Dask shards)."""
        return self.row_local or self.sharding is not None

    def check_options(self, options: dict) -> dict:
        """``select_options`` checked against the declared options (unknown names refused)."""
        declared = {option.name: option for option in self.options}
        unknown = sorted(set(map(str, options)) - set(declared))
        if unknown:
            if not declared:
                raise InvalidInputError(f"this selection policy takes no options, got {', '.join(unknown)}")
            names = ", ".join(declared)
            raise InvalidInputError(f"select={self.name!r} takes the option{'s' if len(declared) > 1 else ''} "
                                    f"{names} only, got {', '.join(unknown)}")
        return {name: declared[name].check(value) for name, value in options.items() if value is not None}

    def with_defaults(self, options: dict) -> dict:
        """Checked options plus the declared defaults of those not given (None defaults stay out)."""
        filled = {option.name: option.default for option in self.options if option.default is not None}
        return {**filled, **options}

    def describe(self) -> str:
        """One line: name, summary, options (the docstrings and --select's help are made of these)."""
        options = "; ".join(f"{option.name}: {option.describe()}" for option in self.options)
        return f"{self.name}: {self.summary}" + (f" [options: {options}]" if options else "")

"""The typed model of a sweep config (YAML). docs/SWEEPS.md documents every key.

Every model forbids unknown keys and is strict (no "8" for 8, no true for 1), so a typo fails
loudly instead of silently running the wrong grid. Keys that take values to sweep over accept a
single value or a list. File paths are checked relative to the config's directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator, model_validator

from .._internal.scalars import MAX_DIM, MAX_SEED
from ..inputs.generators import GENERATORS, spellings

Count = Annotated[int, Field(ge=1, le=MAX_DIM)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0, le=1e6)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Strategy = Literal["auto", "dense", "sparse"]
Metric = Literal["time", "fill", "loads", "skew"]
ALL_METRICS: tuple[str, ...] = ("time", "fill", "loads", "skew")
# The record fields each metric group writes (results.py's columns come from here).
METRIC_FIELDS: dict[str, tuple[str, ...]] = {
    "fill": ("active_routes", "fill_ratio", "rows_underfilled"),
    "loads": ("load_min", "load_max", "load_mean", "load_std", "empty_targets"),
    "skew": ("skew",),
}
# Timing fields an expectation may bound when the user names them; they vary between runs.
TIMING_METRICS: dict[str, Optional[str]] = {
    "route_ms_min": "time", "route_ms_median": "time", "generate_ms": None, "metrics_ms": None,
}


def _listify(value: Any) -> Any:
    """A single value stands for a one-element list."""
    return value if isinstance(value, list) else [value]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Shape(Model):
    """Square (N) or rectangular (M sources x E targets, e.g. tokens x experts)."""

    N: Optional[Count] = None
    M: Optional[Count] = None
    E: Optional[Count] = None

    @model_validator(mode="after")
    def _one_form(self) -> "Shape":
        if self.N is not None and (self.M is not None or self.E is not None):
            raise ValueError("give either N (square) or M and E, not both")
        if self.N is None and (self.M is None or self.E is None):
            raise ValueError("a shape needs N (square) or both M and E")
        return self

    @property
    def dims(self) -> tuple[int, int]:
        return (self.N, self.N) if self.N is not None else (self.M, self.E)  # type: ignore[return-value]


class _Generated(Model):
    def expand(self) -> list[dict]:
        """One parameter dict per combination of the listed values."""
        combos: list[dict] = [{}]
        for name in type(self).model_fields:
            if name == "generator":
                continue
            values = getattr(self, name)
            combos = [{**c, name: v} for c in combos for v in values]
        return combos


def _input_model(generator) -> type:
    """The typed model of one generator's YAML entry, from the registry: its parameters, each a
    value or a list of values to sweep over, with the registry's bounds and defaults."""
    fields: dict[str, Any] = {"generator": (Literal[generator.name], ...)}  # type: ignore[valid-type]
    for name, param in generator.params.items():
        low = Field(gt=param.low) if param.low_open else Field(ge=param.low)
        item = Annotated[int if param.kind is int else float, low, Field(le=param.high)]
        fields[name] = (list[item], [param.kind(param.default)])  # type: ignore[valid-type]
    validators = {"_lists": field_validator(*generator.params, mode="before")(_listify)} if generator.params else {}
    camel = "".join(part.title() for part in generator.name.split("-"))
    return create_model(f"{camel}Input", __base__=_Generated, __validators__=validators, **fields)


GENERATED_INPUTS = {name: _input_model(generator) for name, generator in GENERATORS.items()}
UniformInput = GENERATED_INPUTS["uniform"]


class FileInput(Model):
    """S (M x E) and T (E x M) as matrix files of any registered format (io/matrix_formats); the shape comes from the files."""

    generator: Literal["file"]
    S: str
    T: str
    label: Optional[str] = None

    @field_validator("S", "T")
    @classmethod
    def _exists(cls, value: str, info: ValidationInfo) -> str:
        path = resolve(value, info)
        if not path.is_file():
            raise ValueError(f"no such file: {path}" if not path.exists() else f"not a file: {path}")
        return value


InputSpec = Annotated[
    Union[tuple([*GENERATED_INPUTS.values(), FileInput])],  # type: ignore[misc]
    Field(discriminator="generator"),
]
INPUT_KINDS = (*GENERATORS, "file")


MAX_SEED_COUNT = 1_000_000
SeedCount = Annotated[int, Field(ge=1, le=MAX_SEED_COUNT)]


class SeedRange(Model):
    """Consecutive seeds: `{start: 10, count: 5}` or `{start: 10, stop: 15}` (stop excluded), both
    meaning seeds 10..14."""

    start: Seed = 0
    count: Optional[SeedCount] = None
    stop: Optional[Annotated[int, Field(ge=1, le=MAX_SEED + 1)]] = None

    @model_validator(mode="after")
    def _one_length(self) -> "SeedRange":
        if (self.count is None) == (self.stop is None):
            raise ValueError("a seed range needs exactly one of count or stop, e.g. {start: 10, count: 5}")
        if self.stop is not None and not 1 <= self.stop - self.start <= MAX_SEED_COUNT:
            raise ValueError(f"a seed range from start to stop (excluded) must hold 1 to {MAX_SEED_COUNT:,} "
                             f"seeds, got start={self.start}, stop={self.stop}")
        if self.count is not None and self.start + self.count - 1 > MAX_SEED:
            raise ValueError(f"seeds start + count - 1 must stay below 2^64, got start={self.start}, "
                             f"count={self.count}")
        return self

    @property
    def values(self) -> list[int]:
        stop = self.stop if self.stop is not None else self.start + self.count  # type: ignore[operator]
        return list(range(self.start, stop))


class Options(Model):
    row_perm: list[bool] = [False]
    strategy: list[Strategy] = ["auto"]

    _lists = field_validator("row_perm", "strategy", mode="before")(_listify)


def _listify_values(value: Any) -> Any:
    return {k: _listify(v) for k, v in value.items()} if isinstance(value, dict) else value


class Where(Model):
    """Selectors on a cell's parameters; a list means any of its values. `N` selects square
    shapes N x N; `input` matches the label shown in results (e.g. `uniform(density=0.5)`)."""

    router: Optional[list[str]] = None
    generator: Optional[list[str]] = None
    input: Optional[list[str]] = None
    N: Optional[list[Count]] = None
    M: Optional[list[Count]] = None
    E: Optional[list[Count]] = None
    k: Optional[list[Count]] = None
    seed: Optional[list[Seed]] = None
    row_perm: Optional[list[bool]] = None
    strategy: Optional[list[Strategy]] = None

    @model_validator(mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _listify_values(value)

    def describe(self) -> str:
        parts = []
        for name in type(self).model_fields:
            values = getattr(self, name)
            if values is not None:
                shown = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
                parts.append(f"{name}={'|'.join(shown)}")
        return ", ".join(parts)


Bound = Union[Annotated[int, Field(strict=True)], float]
Over = Literal["cell", "median", "max", "min", "mean"]


class Expectation(Model):
    """A bound on a recorded metric, per cell or aggregated over the seeds of each setting."""

    metric: str
    min: Optional[Bound] = None
    max: Optional[Bound] = None
    where: Where = Where()
    over: Over = "cell"
    name: Optional[str] = None

    @model_validator(mode="after")
    def _a_bound(self) -> "Expectation":
        if self.min is None and self.max is None:
            raise ValueError("an expectation needs min:, max: or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self

    def describe(self) -> str:
        """e.g. `skew <= 1.2 (median over seeds; router=phase, k=16)`."""
        if self.min is not None and self.max is not None:
            bound = f"{self.min} <= {self.metric} <= {self.max}"
        elif self.max is not None:
            bound = f"{self.metric} <= {self.max}"
        else:
            bound = f"{self.metric} >= {self.min}"
        scope = "per cell" if self.over == "cell" else f"{self.over} over seeds"
        where = self.where.describe()
        return f"{bound} ({scope}{'; ' + where if where else ''})"


# A sweep's name becomes its default output directory, sweeps/<name>: one plain path component,
# so a config can never point the output outside sweeps/ (no separators, no "." or "..").
SweepName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]


class SweepConfig(Model):
    name: Optional[SweepName] = None

    @field_validator("name")
    @classmethod
    def _not_dot(cls, value: Optional[str]) -> Optional[str]:
        if value in (".", ".."):
            raise ValueError("name must be a plain directory name, not . or .. (it becomes sweeps/<name>)")
        return value
    description: str = ""
    shapes: list[Shape] = []
    k: Annotated[list[Count], Field(min_length=1)]
    k_at_most_E: bool = False  # skip cells with k > E (the original grid's "k <= N")
    inputs: Annotated[list[InputSpec], Field(min_length=1)]
    # a count N (seeds 0..N-1, as `--seeds N` on the command line), an explicit list, or a range
    seeds: Union[SeedCount, Annotated[list[Seed], Field(min_length=1, max_length=MAX_SEED_COUNT)], SeedRange] = 1
    options: Options = Options()
    repetitions: Annotated[int, Field(ge=1, le=1000)] = 1
    routers: Annotated[list[str], Field(min_length=1)] = ["phase"]
    metrics: list[Metric] = list(ALL_METRICS)
    expect: list[Expectation] = []

    _lists = field_validator("k", "routers", "metrics", mode="before")(_listify)

    @field_validator("inputs", mode="before")
    @classmethod
    def _canonical_generators(cls, value: Any) -> Any:
        """Every accepted spelling of a generator (exactly_k, uniform_1_to_k, ...) becomes the
        registry's (exact-k, uniform-1-k, ...), so cells and records use one name."""
        names = spellings()
        if not isinstance(value, list):
            return value
        return [{**item, "generator": names[item["generator"]]}
                if isinstance(item, dict) and isinstance(item.get("generator"), str) and item["generator"] in names
                else item for item in value]

    @field_validator("routers")
    @classmethod
    def _known_routers(cls, value: list[str]) -> list[str]:
        from ..analysis.routers import ROUTERS

        for name in value:
            if name not in ROUTERS:
                raise ValueError(f"unknown router {name!r}; known: {', '.join(sorted(ROUTERS))}")
        return value

    @model_validator(mode="after")
    def _expectations_name_recorded_metrics(self) -> "SweepConfig":
        recorded = [f for group in self.metrics for f in METRIC_FIELDS.get(group, ())]
        recorded += [f for f, group in TIMING_METRICS.items() if group is None or group in self.metrics]
        for i, item in enumerate(self.expect):
            if item.metric not in recorded:
                group = next((g for g, fields in METRIC_FIELDS.items() if item.metric in fields), None)
                hint = (f"; add {group!r} to metrics" if group is not None else
                        "; add 'time' to metrics" if item.metric in TIMING_METRICS else "")
                raise ValueError(f"expect[{i}].metric: {item.metric!r} is not recorded by this sweep{hint}; "
                                 f"recorded: {', '.join(recorded)}")
            for router in item.where.router or ():
                if router not in self.routers:
                    raise ValueError(f"expect[{i}].where.router: {router!r} is not in routers "
                                     f"({', '.join(self.routers)})")
        return self

    @model_validator(mode="after")
    def _shapes_for_generators(self) -> "SweepConfig":
        if not self.shapes and any(not isinstance(i, FileInput) for i in self.inputs):
            raise ValueError("generated inputs need at least one entry in shapes")
        return self

    @property
    def seed_list(self) -> list[int]:
        if isinstance(self.seeds, SeedRange):
            return self.seeds.values
        if isinstance(self.seeds, int):
            return list(range(self.seeds))
        return list(self.seeds)


def resolve(value: str, info: Optional[ValidationInfo] = None, base: Optional[Path] = None) -> Path:
    """A config path: absolute, or relative to the config file's directory."""
    if base is None:
        base = Path((info.context or {}).get("base_dir", ".")) if info is not None else Path(".")
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)

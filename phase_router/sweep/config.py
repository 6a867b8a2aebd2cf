"""The typed model of a sweep config (YAML). docs/SWEEPS.md documents every key.

Every model forbids unknown keys and is strict (no "8" for 8, no true for 1), so a typo fails
loudly instead of silently running the wrong grid. Keys that take values to sweep over accept a
single value or a list. File paths are checked relative to the config's directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator, model_validator

from .._internal.validate import MAX_DIM, MAX_SEED
from ..inputs.generators import GENERATORS, spellings

Count = Annotated[int, Field(ge=1, le=MAX_DIM)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0, le=1e6)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Strategy = Literal["auto", "dense", "sparse"]
Metric = Literal["time", "fill", "loads", "skew"]
ALL_METRICS: tuple[str, ...] = ("time", "fill", "loads", "skew")


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
    """S (M x E) and T (E x M) as PBM or NPY files; the shape comes from the files."""

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


class SeedRange(Model):
    start: Seed = 0
    count: Annotated[int, Field(ge=1, le=1_000_000)]


class Options(Model):
    row_perm: list[bool] = [False]
    strategy: list[Strategy] = ["auto"]

    _lists = field_validator("row_perm", "strategy", mode="before")(_listify)


class SweepConfig(Model):
    name: Optional[str] = None
    description: str = ""
    shapes: list[Shape] = []
    k: Annotated[list[Count], Field(min_length=1)]
    k_at_most_E: bool = False  # skip cells with k > E (the original grid's "k <= N")
    inputs: Annotated[list[InputSpec], Field(min_length=1)]
    seeds: Union[Annotated[list[Seed], Field(min_length=1)], SeedRange] = [0]
    options: Options = Options()
    repetitions: Annotated[int, Field(ge=1, le=1000)] = 1
    routers: Annotated[list[str], Field(min_length=1)] = ["phase"]
    metrics: list[Metric] = list(ALL_METRICS)

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

    @field_validator("seeds", mode="before")
    @classmethod
    def _seed_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("routers")
    @classmethod
    def _known_routers(cls, value: list[str]) -> list[str]:
        from ..analysis.routers import ROUTERS

        for name in value:
            if name not in ROUTERS:
                raise ValueError(f"unknown router {name!r}; known: {', '.join(sorted(ROUTERS))}")
        return value

    @model_validator(mode="after")
    def _shapes_for_generators(self) -> "SweepConfig":
        if not self.shapes and any(not isinstance(i, FileInput) for i in self.inputs):
            raise ValueError("generated inputs need at least one entry in shapes")
        return self

    @property
    def seed_list(self) -> list[int]:
        if isinstance(self.seeds, SeedRange):
            return list(range(self.seeds.start, self.seeds.start + self.seeds.count))
        return list(self.seeds)


def resolve(value: str, info: Optional[ValidationInfo] = None, base: Optional[Path] = None) -> Path:
    """A config path: absolute, or relative to the config file's directory."""
    if base is None:
        base = Path((info.context or {}).get("base_dir", ".")) if info is not None else Path(".")
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path)

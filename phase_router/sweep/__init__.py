"""Parameter sweeps from YAML configs: `phase-router sweep CONFIG` (docs/SWEEPS.md).

    config = load_config("configs/smoke.yaml")
    outcome = run_sweep(config, Path("configs"), Path("out/smoke"), jobs=2)
"""

from .cell import routes_digest, run_cell
from .config import SweepConfig
from .grid import Cell, expand
from .loader import ConfigError, load_config, parse_config
from .results import deterministic_view, load_results
from .runner import SweepOutcome, plan, run_sweep

__all__ = [
    "Cell",
    "ConfigError",
    "SweepConfig",
    "SweepOutcome",
    "deterministic_view",
    "expand",
    "load_config",
    "load_results",
    "parse_config",
    "plan",
    "routes_digest",
    "run_cell",
    "run_sweep",
]

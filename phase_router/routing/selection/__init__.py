"""Step 7 of docs/SPEC.md, the selection stage: a policy keeps at most k of each source row's
candidates (step 6's output, from a prepared ``Router``). Every policy runs on the same Router and
the same candidate rows and writes the same routes format (M x k int32, ascending, -1 padded).

Adding a policy is one module here defining a ``Policy`` and one line in ``POLICIES`` (and its
C++ kernel in core_cpp/selection/policy_<name>.cpp over a CandidateSource).
"""

from __future__ import annotations

from ..._internal.scalars import show
from ...errors import InvalidInputError
from .balanced import BALANCED
from .greedy import GREEDY
from .optimal import OPTIMAL
from .policy import Policy
from .random import RANDOM

POLICIES: dict[str, Policy] = {p.name: p for p in (RANDOM, GREEDY, BALANCED, OPTIMAL)}


def policy(name: object) -> Policy:
    """The policy registered under `name`; InvalidInputError listing the names otherwise."""
    if not isinstance(name, str) or name not in POLICIES:
        raise InvalidInputError(f"select must be one of {', '.join(POLICIES)}, got {show(name)}")
    return POLICIES[name]


__all__ = ["POLICIES", "Policy", "policy"]

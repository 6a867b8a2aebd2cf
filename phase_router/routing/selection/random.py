"""select="random", the default (docs/SPEC.md step 7): each row keeps a uniformly random
min(k, c_i)-subset of its candidates, drawn from its own stream. Row-local."""

from __future__ import annotations

from .policy import Policy


def _oracle(candidates, t, k: int, seed: int, options: dict, weights=None):
    from ...reference.spec import select_routes

    return select_routes(candidates, k, seed)


POLICY = RANDOM = Policy(
    "random", "the spec's uniform k-subset of each row's candidates (fastest)",
    row_local=True, binding="select_random", oracle=_oracle,
)

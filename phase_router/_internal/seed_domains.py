"""The seed domains, read from the one table both languages share (core_cpp/common/seed_domains.def,
through ``_core.seed_domains()``): every key drawn from a user's seed is K_d = splitmix(seed, d)
for one of these numbers, so no two uses of the seed share a stream. Import the names from here;
never write a domain number anywhere else (tests/architecture/test_seed_domains.py checks)."""

from __future__ import annotations

from .. import _core

SEED_DOMAINS: dict[str, int] = {str(name): int(number) for name, number in _core.seed_domains().items()}

DOMAIN_COLUMNS_S = SEED_DOMAINS["columns_s"]
DOMAIN_COLUMNS_T = SEED_DOMAINS["columns_t"]
DOMAIN_LAY_ORDER_S = SEED_DOMAINS["lay_order_s"]
DOMAIN_LAY_ORDER_T = SEED_DOMAINS["lay_order_t"]
DOMAIN_SELECT = SEED_DOMAINS["select"]
DOMAIN_GREEDY_TIES = SEED_DOMAINS["greedy_ties"]
DOMAIN_HASH_UNIFORM = SEED_DOMAINS["hash_uniform"]
DOMAIN_HASH_WEIGHTED = SEED_DOMAINS["hash_weighted"]
DOMAIN_TWO_CHOICE = SEED_DOMAINS["two_choice"]
DOMAIN_GREEDY_ORDER = SEED_DOMAINS["greedy_order"]
DOMAIN_BALANCED_EVICT = SEED_DOMAINS["balanced_evict"]
DOMAIN_BALANCED_PICK = SEED_DOMAINS["balanced_pick"]
DOMAIN_HASH_ORIGINAL = SEED_DOMAINS["hash_original"]
DOMAIN_INPUT_S = SEED_DOMAINS["input_s"]
DOMAIN_INPUT_T = SEED_DOMAINS["input_t"]
DOMAIN_PLACE_S = SEED_DOMAINS["place_s"]
DOMAIN_PLACE_T = SEED_DOMAINS["place_t"]
DOMAIN_BUCKETS = SEED_DOMAINS["buckets"]
DOMAIN_SECOND_T = SEED_DOMAINS["second_t"]
DOMAIN_GATE_MODEL = SEED_DOMAINS["gate_model"]
DOMAIN_GATE_TOKENS = SEED_DOMAINS["gate_tokens"]

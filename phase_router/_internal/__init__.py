"""Machinery behind the public modules: argument validation and dtype coercion (``validate``),
the portable SplitMix64 randomness every component draws from (``random``), and optional-extra
imports (``optional``). Nothing here is public API."""

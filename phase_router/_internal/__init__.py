"""Machinery behind the public modules: argument checks by concern (``scalars``, ``seeds``,
``threads``, ``scheduler``, ``vectors``, ``matrix_degrees``, ``routes``), the one memory probe
(``memory``), foreign array inputs (``arrays``), the portable SplitMix64 randomness every component
draws from (``random``), and optional-extra imports (``optional``). Nothing here is public API."""

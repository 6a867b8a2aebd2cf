"""The routing product: the public API (``api``: ``route``, ``route_degrees``, ``Routing``), the
prepared ring (``router``: steps 1-5 of docs/SPEC.md), the candidate sources (``candidates``:
step 6, one module per source), the selection stage (``selection``: step 7,
one module per policy), chunked output (``chunked``) and shards, in this process or on Dask
(``shards``: ``route_on_shards``)."""

"""The routing product: the public API (``api``: ``route``, ``route_degrees``, ``Routing``), the
prepared ring (``router``: steps 1-6 of docs/SPEC.md), the selection stage (``selection``: step 7,
one module per policy), chunked output (``chunked``) and Dask shards (``shards``)."""

"""What is computed from routes: load statistics (``stats``), load metrics (``metrics``),
seed-averaged Monte-Carlo statistics (``montecarlo``), capacity planning (``capacity``),
router comparisons (``compare``) and the table of every router by name (``routers``)."""

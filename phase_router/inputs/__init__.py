"""Input generators: the scenarios routed by ``phase-router gen``, sweeps, comparisons and tests."""

"""Fuzzing of the file readers and the config loader (run by `make fuzz`; replayed by tests)."""

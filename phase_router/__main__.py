"""`python -m phase_router ...` is the `phase-router` command."""

from .cli import main

if __name__ == "__main__":
    main()

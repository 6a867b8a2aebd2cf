"""`python -m phase_router ...` is the `phase-router` command."""

from launch_phase_router import main

if __name__ == "__main__":
    main()

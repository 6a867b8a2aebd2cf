"""Placement under constraints: put each job's replicas on machines it is allowed to use, with
every machine's load as even as the constraints permit.

    python examples/placement_under_constraints.py [--jobs 3000] [--machines 200] [--replicas 3]

S (jobs x machines) says where a job may run (here: its zone's machines, GPU jobs only on GPU
machines); T (machines x jobs) says which jobs a machine accepts (here: a maintenance set of
machines accepts none). With ``candidates="mask"`` the router's candidates are exactly
S AND T^T — no phase mixing, so no placement ever breaks a constraint — and the selection policy
decides the balance: ``random`` (a uniform choice), ``greedy`` (least loaded first) and
``optimal`` (the proven minimum of the largest machine load, by max-flow).
"""

from __future__ import annotations

import argparse

import numpy as np

import phase_router as pr


def constraints(jobs: int, machines: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    zones = 4
    job_zone = rng.integers(0, zones, jobs)
    machine_zone = np.arange(machines) % zones
    gpu_machine = rng.random(machines) < 0.25
    gpu_job = rng.random(jobs) < 0.1
    S = machine_zone[None, :] == job_zone[:, None]
    S &= ~gpu_job[:, None] | gpu_machine[None, :]
    maintenance = rng.random(machines) < 0.05
    T = np.repeat(~maintenance[:, None], jobs, axis=1)  # machine j accepts every job unless in maintenance
    return S, T


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--machines", type=int, default=200)
    parser.add_argument("--replicas", type=int, default=3)
    args = parser.parse_args()
    S, T = constraints(args.jobs, args.machines)
    allowed = S & T.T

    print(f"{args.jobs} jobs x {args.machines} machines, {args.replicas} replicas; "
          f"allowed pairs per job: min {allowed.sum(axis=1).min()}, mean {allowed.sum(axis=1).mean():.1f}")
    results = {}
    for select in ("random", "greedy", "optimal"):
        routing = pr.route(S, T, args.replicas, seed=0, candidates="mask", select=select)
        routes = routing.routes
        rows, slots = np.nonzero(routes >= 0)
        assert np.all(allowed[rows, routes[rows, slots]]), "a placement broke a constraint"
        placed = np.count_nonzero(routes >= 0, axis=1)
        assert np.array_equal(placed, np.minimum(args.replicas, allowed.sum(axis=1)))
        loads = routing.column_loads
        usable = loads[T.any(axis=1)]
        results[select] = int(loads.max())
        print(f"  {select:8s} max machine load {loads.max():3d}, mean over usable machines {usable.mean():6.2f}, "
              f"max/mean {loads.max() / usable.mean():.3f}")
    assert results["optimal"] <= min(results["random"], results["greedy"])
    print("every placement respects the constraints; optimal is the smallest possible maximum load")


if __name__ == "__main__":
    main()

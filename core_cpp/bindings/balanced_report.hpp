// The balanced policy's report as the bindings return it: select_balanced's and a shard's alike.
#pragma once
#include <pybind11/pybind11.h>

#include "selection/policy_balanced.hpp"

namespace phase_router::bindings {

inline pybind11::dict balanced_report_dict(const BalancedReport& r) {
    pybind11::dict d;
    d["lower_bound"] = r.lower_bound;
    d["goal"] = r.goal;
    d["rounds_run"] = r.rounds_run;
    d["moves"] = r.moves;
    d["direct_moves"] = r.direct_moves;
    d["sweeps"] = r.sweeps;
    d["augmentations"] = r.augmentations;
    d["proven_optimal"] = r.proven_optimal;
    d["max_load"] = r.max_load;
    return d;
}

}  // namespace phase_router::bindings

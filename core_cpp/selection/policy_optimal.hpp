// The optimal selection policy, select="optimal": among all selections that keep exactly
// r_i = min(k, c_i) of each row's own candidates, one whose largest column load is the smallest
// possible (objective "max"), or whose largest load relative to t_j is (objective "relative").
// It is the yardstick every other policy is measured against.
//
// Feasibility of a cap vector is a maximum flow: source -> row i (capacity r_i) -> each candidate
// target j (capacity 1) -> sink (capacity cap_j); every row is served iff the flow is sum(r_i).
// The search (binary search on the cap, then exact descent) proves the optimum: the returned caps
// are feasible and the next lower ones are not. The routes are then Dinic's flow (max_flow.hpp),
// run from scratch at exactly the optimal caps, so they depend on the optimum alone, not on the
// search path. Not row-local; memory grows with the number of candidate pairs.
//
// Objective "preference": the smallest maximum load first, then, at exactly those caps, the
// selection that keeps the most candidate weight (the source's candidate_weights, 1 where it has
// none), by the minimum-cost flow of preference_flow.hpp instead of Dinic's.
#pragma once
#include <cstdint>

#include "candidates/candidate_source.hpp"

namespace phase_router {

struct OptimalOptions {
    std::uint32_t k = 1;
    bool relative = false;  // minimise max load_j / t_j instead of max load_j
    bool preference = false;  // then keep the most candidate weight at the optimal caps (not with relative)
    // refuse larger graphs (memory ~ 40 bytes a pair), and under "preference" more than a quarter
    // as many exchanges (moves a row could make from a kept to an unkept candidate, ~32 bytes each)
    std::uint64_t max_candidate_pairs = 1ULL << 28;
    int threads = 0;
};

// The proven optimum: loads_max / denominator (denominator 1 for "max"; for "relative" the t_j of
// a target that attains it), the caps one step lower that the search proved infeasible
// (infeasible_below: the optimum is the smallest feasible value), and how many max-flows it ran.
struct OptimalResult {
    std::int64_t numerator = 0;
    std::int64_t denominator = 1;
    std::uint64_t candidate_pairs = 0;
    std::uint32_t max_flows = 0;
    std::int64_t kept_weight = 0;     // preference: the most weight any selection at the optimum keeps
    std::uint64_t augmentations = 0;  // preference: chains the minimum-cost flow moved
    std::uint64_t exchanges = 0;      // preference: the moves rows could make at the start
};

// All M rows of `source` into out (M x k int32, -1 padded, ascending).
OptimalResult select_optimal(const CandidateSource& source, const OptimalOptions& options, std::int32_t* out);

}  // namespace phase_router

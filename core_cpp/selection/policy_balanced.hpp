// The balanced selection policy, select="balanced" (docs/SPEC.md, "Balanced selection"): every
// source keeps exactly min(k, c_i) of its own candidates, as with random, but the maximum column
// load is driven to within 2 % or one route (max(1, floor(LB / 50))) of a lower bound LB, or to the proven optimum when that bound cannot
// be reached. Three phases:
//   A. the spec's random selection (step 7), row-local and parallel;
//   B. parallel repair rounds: targets above the goal G evict routes by a seeded rule, each
//      evicting row re-picks among its unchosen candidates below G with probability in proportion
//      to their deficit (G - load), all against the round's starting loads; loads change by exact
//      integer sums, so no thread count changes anything;
//   C. level sweeps (selection/balanced_sweeps.hpp): augmenting paths from the targets above a cap
//      (first G) to targets below it, many per sweep; a sweep that finds none proves the cap out
//      of reach and raises it to a lower bound on the optimum, so the result is <= G or optimal.
// Not row-local: every row's routes depend on the loads of all rows, so it routes all M rows.
#pragma once
#include <cstdint>
#include <vector>

#include "candidates/candidate_source.hpp"

namespace phase_router {

struct BalancedOptions {
    std::uint32_t k = 1;
    std::uint64_t seed = 0;
    // Phase B rounds at most; part of the semantics. None by default: phase C's direct moves cost
    // less than the rounds on most shapes measured (docs/PERFORMANCE.md, "The cost of balanced").
    std::uint32_t rounds = 0;
    int threads = 0;
    // A shard of a larger routing (routing/balanced_shards.py) sets the next three; the defaults
    // are the whole routing's.
    // The id in the whole routing of the source's row 0: every draw is keyed by the whole
    // routing's row id, so a row range draws what the whole routing draws for those rows.
    std::uint64_t first_row = 0;
    // The goal G when above 0 (still raised to the largest fixed load); 0: G from the lower bound.
    std::int64_t goal = 0;
    // Loads the rows sit on (E entries, the other shards' share), counted in every comparison
    // with the goal and never moved; nullptr: none.
    const std::int64_t* base_load = nullptr;
    // Phase C's working store (PhaseCStore in selection/row_bitmaps.hpp): 0 chooses by memory,
    // 1 sorted lists, 2 row bitmaps. Never changes the routes; the tests run each store.
    std::uint32_t store = 0;
};

// What a run did (for benchmarks and tests; never changes the routes).
struct BalancedReport {
    std::uint64_t lower_bound = 0;   // ceil(routes / targets with t_j > 0)
    std::uint64_t goal = 0;          // G = lower_bound + max(1, lower_bound / 50)
    std::uint32_t rounds_run = 0;    // phase B rounds that moved something or found nothing over G
    std::uint64_t moves = 0;         // phase B routes moved
    std::uint64_t direct_moves = 0;  // phase C moves before its sweeps
    std::uint64_t sweeps = 0;        // phase C sweeps
    std::uint64_t augmentations = 0; // phase C paths
    bool proven_optimal = false;     // phase C proved G out of reach: the maximum is the optimum
    std::uint64_t max_load = 0;      // base loads included
    std::vector<std::int64_t> fixed_loads;  // per target: routes of rows without spare candidates
};

// All M rows of `source` into out (M x k int32, -1 padded). report may be null.
void select_balanced(const CandidateSource& source, const BalancedOptions& options, std::int32_t* out,
                     BalancedReport* report = nullptr);

}  // namespace phase_router

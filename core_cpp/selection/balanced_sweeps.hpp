// Phase C of select="balanced" (docs/SPEC.md, "Balanced selection"): level sweeps of augmenting
// paths. A cap lambda starts at the goal G. A sweep searches depth first, from each target above
// lambda in ascending order, for a path target -> a flexible source routed to it -> that
// source's unchosen candidate -> ... that ends at a target below lambda, every node entered at
// most once per sweep; each path found moves one route per source on it. A sweep that finds no
// path proves no selection keeps every load <= lambda, and the targets it reached bound the
// optimum from below, so lambda is raised to that bound. The loop ends when every load is <=
// lambda: at most G, or the optimum.
#pragma once
#include <cstdint>
#include <vector>

#include "candidates/candidate_source.hpp"
#include "selection/policy_balanced.hpp"
#include "selection/spare_record.hpp"

namespace phase_router {

// spare[i] = c_i - r_i, the candidates row i does not route to (constant under moves); load is
// updated in place, and so are the rows of out (M x k, ascending, -1 padded). `records` hold
// spare lists of some rows as phase A left them (read, not listed again, when lists are kept).
// Threads only list candidates; the result is the same for any count.
void level_sweeps(const CandidateSource& source, std::uint32_t k, std::int64_t goal,
                  const std::vector<std::uint32_t>& spare, SpareRecords records, std::vector<std::int64_t>& load,
                  std::int32_t* out, int threads, BalancedReport& report);

}  // namespace phase_router

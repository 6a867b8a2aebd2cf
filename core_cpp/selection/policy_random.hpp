// The default selection policy, select="random" (step 7 of docs/SPEC.md): each row keeps a
// uniformly random min(k, c_i)-subset of its candidates, drawn from its own stream
// splitmix(K_select, i) by selection/random.hpp. Row-local: a row's routes depend on (seed,
// row, candidate set) only, so any row range, chunk, thread split or shard gives the same bits.
#pragma once
#include <cstdint>

#include "candidates/candidate_source.hpp"
#include "selection/route_totals.hpp"

namespace phase_router {

// Routes of rows [begin, end) of `source` into out ((end - begin) x k int32, -1 padded); with
// `totals` (E targets), their totals are added to it in the same pass.
void select_random(const CandidateSource& source, std::uint64_t seed, std::uint32_t k, std::uint32_t begin,
                   std::uint32_t end, int threads, std::int32_t* out, SharedRouteTotals* totals = nullptr);

}  // namespace phase_router

// The greedy selection policy, select="greedy" (docs/BASELINES.md): a row with more than k
// candidates keeps the k whose load relative to t_j is smallest, ties by a keyed hash. Rows go in
// a seed-derived order (perm(K_9, M)), in blocks of `block` consecutive rows of that order; every
// row of a block sees the loads as of the block's start, and the block's routes are added
// afterwards. So threads split a block's rows freely and the result never depends on the thread
// count. Not row-local: a row's routes depend on every row before it in that order, so the policy
// always routes all M rows.
#pragma once
#include <cstdint>

#include "candidates/candidate_source.hpp"

namespace phase_router {

inline constexpr std::uint64_t kDomainGreedyTies = 5;   // tie-break hashes (K_5)
inline constexpr std::uint64_t kDomainGreedyOrder = 9;  // order of the rows (K_9)

struct GreedyOptions {
    std::uint32_t k = 1;
    std::uint64_t seed = 0;
    std::uint32_t block = 16;  // part of the semantics: a different block size is a different routing
    int threads = 0;
};

// All M rows of `source` into out (M x k int32, -1 padded).
void select_greedy(const CandidateSource& source, const GreedyOptions& options, std::int32_t* out);

}  // namespace phase_router

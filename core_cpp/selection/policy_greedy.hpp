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

struct GreedyOptions {
    std::uint32_t k = 1;
    std::uint64_t seed = 0;
    // Rows per block; part of the semantics: a different block size is a different routing.
    // 0 (the default) means greedy_block(0, M) = max(1, M / 1024): staleness (rows of a block do
    // not see each other's routes) grows with block / M, so this keeps it near 1/1024 of the pass.
    std::uint32_t block = 0;
    int threads = 0;
};

// The block a run uses: `block`, or max(1, M / 1024) when it is 0.
inline std::uint32_t greedy_block(std::uint32_t block, std::uint32_t M) {
    if (block != 0) return block;
    return M / 1024 > 1 ? M / 1024 : 1;
}

// All M rows of `source` into out (M x k int32, -1 padded).
void select_greedy(const CandidateSource& source, const GreedyOptions& options, std::int32_t* out);

}  // namespace phase_router

// The balanced selection mode, select="greedy" (docs/BASELINES.md): the same candidate sets as
// the spec's pipeline (steps 1-6), but a row with more than k candidates keeps the k whose load
// relative to t_j is smallest, ties by a keyed hash. Rows go in a seed-derived order
// (perm(K_9, M)), in blocks of `block` consecutive rows of that order; every row of a block sees
// the loads as of the block's start, and the block's routes are added afterwards. So threads
// split a block's rows freely and the result never depends on the thread count.
#pragma once
#include <cstdint>

namespace phase_router {

struct GreedyOptions {
    std::uint32_t k = 1;
    std::uint64_t seed = 0;
    bool row_perm = false;
    std::uint32_t block = 16;  // part of the semantics: a different block size is a different routing
    int threads = 0;
};

// Same requirements and output format as route_degrees (route.hpp).
void route_degrees_greedy(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                          const GreedyOptions& options, std::int32_t* out);

}  // namespace phase_router

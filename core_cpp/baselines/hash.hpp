// Baseline 1, the hash router (docs/BASELINES.md): source i takes counts[i] distinct targets by
// keyed hash, uniformly (Floyd's algorithm over [0, E)) or with probability proportional to a
// weight per target (successive draws over a Fenwick tree, each drawn target removed). Rows are
// independent, so they run in parallel; a row's output depends on (seed, i, counts[i], weights).
#pragma once
#include <cstdint>

namespace phase_router {

// Uniform: counts[i] <= E. Writes M rows of k int32 (targets ascending, then -1); counts[i] <= k.
void hash_route_uniform(const std::uint32_t* counts, std::uint32_t M, std::uint32_t E, std::uint32_t k,
                        std::uint64_t seed, int threads, std::int32_t* out);

// Weighted by weights[0..E): counts[i] <= number of targets with a positive weight.
void hash_route_weighted(const std::uint32_t* counts, std::uint32_t M, const std::uint32_t* weights,
                         std::uint32_t E, std::uint32_t k, std::uint64_t seed, int threads, std::int32_t* out);

// Power of two choices (sequential, global loads): two_choice_route in baselines/two_choice.hpp.

}  // namespace phase_router

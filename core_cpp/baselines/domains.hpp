// Domain numbers of the keys the baselines and the greedy mode draw from the seed
// (K_d = splitmix(seed, d), docs/BASELINES.md). 0-4 belong to the spec's pipeline
// (splitmix.hpp); these continue the numbering so no two uses ever share a stream.
#pragma once
#include <cstdint>

namespace phase_router {

inline constexpr std::uint64_t kDomainGreedyTies = 5;   // greedy selection: tie-break hashes
inline constexpr std::uint64_t kDomainHashUniform = 6;  // hash router, uniform
inline constexpr std::uint64_t kDomainHashWeighted = 7; // hash router, weighted by t_j
inline constexpr std::uint64_t kDomainTwoChoice = 8;    // power of two choices
inline constexpr std::uint64_t kDomainGreedyOrder = 9;  // greedy selection: order of the rows

}  // namespace phase_router

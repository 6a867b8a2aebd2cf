// Domain numbers of the keys the baselines draw from the seed
// (K_d = splitmix(seed, d), docs/BASELINES.md). 0-4 belong to the spec's pipeline
// (splitmix.hpp), 5 and 9 the greedy policy (selection/policy_greedy.hpp); these continue the numbering so no two uses ever share a stream.
#pragma once
#include <cstdint>

namespace phase_router {

inline constexpr std::uint64_t kDomainHashUniform = 6;  // hash router, uniform
inline constexpr std::uint64_t kDomainHashWeighted = 7; // hash router, weighted by t_j
inline constexpr std::uint64_t kDomainTwoChoice = 8;    // power of two choices

}  // namespace phase_router

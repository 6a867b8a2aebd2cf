// Baseline 2, the power of two choices (docs/BASELINES.md): sources in order 0..M-1, each slot
// draws two distinct candidate targets not yet in the row (with probability proportional to
// weights[j], all ones for the uniform variant) and takes the one with the smaller load
// relative to its weight; ties go to the first draw. Loads are global and updated after every
// slot, so it is sequential by definition: the strong, stateful baseline.
#pragma once
#include <cstdint>

namespace phase_router {

// counts[i] <= min(k, targets with a positive weight). Writes M rows of k int32, ascending, -1 padded.
void two_choice_route(const std::uint32_t* counts, std::uint32_t M, const std::uint32_t* weights,
                      std::uint32_t E, std::uint32_t k, std::uint64_t seed, std::int32_t* out);

}  // namespace phase_router

// The keyed Bernoulli bits of the `uniform` input generator (phase_router/inputs/draws.py):
// entry n is 1 iff splitmix(key, n) >> 11 < threshold, i.e. a 53-bit uniform below p * 2^53.
// Pure integer arithmetic, so the bits are the NumPy formula's on every machine.
#pragma once
#include <cstdint>

namespace phase_router {

// out[x] = 1 iff (splitmix(key, first + x) >> 11) < threshold, for x in [0, count).
void bernoulli_bits(std::uint64_t key, std::uint64_t first, std::uint64_t count, std::uint64_t threshold,
                    std::uint8_t* out, int threads);

}  // namespace phase_router

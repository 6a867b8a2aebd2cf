#include "inputs/bernoulli_bits.hpp"

#include <algorithm>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

void bernoulli_bits(std::uint64_t key, std::uint64_t first, std::uint64_t count, std::uint64_t threshold,
                    std::uint8_t* out, int threads) {
    // Below a few million entries a parallel region costs more than it saves.
    const int parts = count < (std::uint64_t{1} << 22) ? 1 : thread_count(threads);
    run_parallel(parts, [&](int part, int actual) {
        const std::uint64_t begin = part_begin(count, part, actual), end = part_begin(count, part + 1, actual);
        // Blocks of 2^16 bits keep the inner loop free of the cancellation poll.
        for (std::uint64_t block = begin; block < end; block += std::uint64_t{1} << 16) {
            throw_if_cancelled();
            const std::uint64_t block_end = std::min(end, block + (std::uint64_t{1} << 16));
            for (std::uint64_t x = block; x < block_end; ++x)
                out[x] = static_cast<std::uint8_t>((splitmix(key, first + x) >> 11) < threshold);
        }
    });
}

}  // namespace phase_router

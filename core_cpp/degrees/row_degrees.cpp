#include "degrees/row_degrees.hpp"

#include <cstring>
#include <stdexcept>

#include "common/cancellation.hpp"
#include "common/bitops.hpp"
#include "common/parallel.hpp"

namespace phase_router {

void packed_row_degrees(const std::uint8_t* data, std::uint64_t rows, std::uint64_t row_bytes,
                        std::uint64_t width, std::uint32_t* out, int threads) {
    if (row_bytes < (width + 7) / 8) throw std::invalid_argument("rows are shorter than width bits");
    const std::uint64_t full_bytes = width / 8;
    const unsigned tail_bits = static_cast<unsigned>(width % 8);
    const auto last_byte_mask = static_cast<std::uint8_t>(0xFF00u >> tail_bits);  // MSB-first
    run_parallel(thread_count(threads), [&](int part, int parts) {
        const std::uint64_t r_begin = part_begin(rows, part, parts), r_end = part_begin(rows, part + 1, parts);
        for (std::uint64_t r = r_begin; r < r_end; ++r) {
            poll_cancel(r - r_begin);
            const std::uint8_t* row = data + r * row_bytes;
            std::uint64_t total = 0, b = 0;
            for (; b + 8 <= full_bytes; b += 8) {
                std::uint64_t word;
                std::memcpy(&word, row + b, 8);
                total += static_cast<std::uint64_t>(popcount64(word));
            }
            for (; b < full_bytes; ++b) total += static_cast<std::uint64_t>(popcount64(row[b]));
            if (tail_bits != 0) total += static_cast<std::uint64_t>(popcount64(row[full_bytes] & last_byte_mask));
            out[r] = static_cast<std::uint32_t>(total);
        }
    });
}

}  // namespace phase_router

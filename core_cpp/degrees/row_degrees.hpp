// Step 1's only input: the ones per row. Counted on bit-packed rows (np.packbits(axis=1) and
// PBM P4 layout: rows of row_bytes bytes, most significant bit first) with popcount.
#pragma once
#include <cstdint>

namespace phase_router {

// Bits past `width` in each row's last byte are padding and are ignored.
void packed_row_degrees(const std::uint8_t* data, std::uint64_t rows, std::uint64_t row_bytes,
                        std::uint64_t width, std::uint32_t* out, int threads);

}  // namespace phase_router

// Step 1 on a plain PBM (P1) raster: ones per row, counted while the text streams past in chunks.
// Rows are `width` digits each; whitespace may sit anywhere (also inside a row) and is skipped.
#pragma once
#include <cstdint>

namespace phase_router {

// Carried from one chunk to the next.
struct P1Scan {
    std::uint64_t digits = 0;  // '0'/'1' digits seen so far (also past width * height)
    std::uint64_t column = 0;  // digits seen in the current row
    std::uint64_t ones = 0;    // '1's seen in the current row
};

// Feeds data[0..n): completed rows r < height get out[r]. Returns the index of the first byte
// that is neither a digit nor PBM whitespace (" \t\n\r\v\f"), or -1 when the chunk is clean.
std::int64_t p1_row_degrees_chunk(const std::uint8_t* data, std::uint64_t n, std::uint64_t width,
                                  std::uint64_t height, std::uint32_t* out, P1Scan& scan);

}  // namespace phase_router

#include "degrees/p1_row_degrees.hpp"

#include "common/bitops.hpp"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define PHASE_ROUTER_P1_SSE2 1
#endif

namespace phase_router {
namespace {

bool is_whitespace(std::uint8_t b) { return b == ' ' || (b >= '\t' && b <= '\r'); }

void add_digit(bool one, std::uint64_t width, std::uint64_t height, std::uint32_t* out, P1Scan& scan) {
    scan.ones += one;
    ++scan.digits;
    if (++scan.column == width) {
        const std::uint64_t row = scan.digits / width - 1;
        if (row < height) out[row] = static_cast<std::uint32_t>(scan.ones);
        scan.ones = 0;
        scan.column = 0;
    }
}

}  // namespace

std::int64_t p1_row_degrees_chunk(const std::uint8_t* data, std::uint64_t n, std::uint64_t width,
                                  std::uint64_t height, std::uint32_t* out, P1Scan& scan) {
    std::uint64_t i = 0;
#ifdef PHASE_ROUTER_P1_SSE2
    // 16 bytes at a time: classify with compares, and when the block's digits stay inside the
    // current row (the common case: rows are much longer than 16) add its '1's with one popcount.
    const __m128i zero_char = _mm_set1_epi8('0'), one_char = _mm_set1_epi8('1');
    const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
        const __m128i ones = _mm_cmpeq_epi8(v, one_char);
        const __m128i digits = _mm_or_si128(ones, _mm_cmpeq_epi8(v, zero_char));
        const __m128i from_tab = _mm_sub_epi8(v, tab);  // '\t'..'\r' map to 0..4
        const __m128i controls = _mm_cmpeq_epi8(_mm_min_epu8(from_tab, four), from_tab);
        const __m128i valid = _mm_or_si128(digits, _mm_or_si128(controls, _mm_cmpeq_epi8(v, space)));
        const unsigned valid_mask = static_cast<unsigned>(_mm_movemask_epi8(valid));
        if (valid_mask != 0xFFFFu) return static_cast<std::int64_t>(i + ctz64(~valid_mask & 0xFFFFu));
        unsigned digit_mask = static_cast<unsigned>(_mm_movemask_epi8(digits));
        const unsigned one_mask = static_cast<unsigned>(_mm_movemask_epi8(ones));
        const auto count = static_cast<std::uint64_t>(popcount64(digit_mask));
        if (scan.column + count < width) {
            scan.ones += static_cast<std::uint64_t>(popcount64(one_mask));
            scan.column += count;
            scan.digits += count;
            continue;
        }
        while (digit_mask != 0) {  // a row ends inside this block: digit by digit
            const int bit = ctz64(digit_mask);
            add_digit((one_mask >> bit) & 1u, width, height, out, scan);
            digit_mask &= digit_mask - 1;
        }
    }
#endif
    for (; i < n; ++i) {
        const std::uint8_t b = data[i];
        if (b == '0' || b == '1')
            add_digit(b == '1', width, height, out, scan);
        else if (!is_whitespace(b))
            return static_cast<std::int64_t>(i);
    }
    return -1;
}

}  // namespace phase_router

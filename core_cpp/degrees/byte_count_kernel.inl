// One CPU path's byte kernels (byte_count.hpp), compiled by byte_count_paths.cpp inside that
// path's `#pragma GCC target` region, in namespace PHASE_ROUTER_KERNEL_NS. The vector type is
// 16, 32 or 64 bytes wide (PHASE_ROUTER_BYTES_SSE2 / _AVX2 / _AVX512); without one, scalar C++.
// No include here: byte_count_paths.cpp includes every header before the regions.

namespace phase_router {
namespace PHASE_ROUTER_KERNEL_NS {
namespace {

// The pattern byte at offset i of a row of width-byte integers (offsets start on an element;
// widths are powers of two).
constexpr std::uint8_t pattern_at(std::uint64_t i, unsigned width) {
    return static_cast<std::uint8_t>((i & (width - 1)) == 0 ? 0xFE : 0xFF);
}

// The pattern of 64 bytes from an element start, for widths 1, 2, 4 and 8.
struct Patterns {
    alignas(64) std::uint8_t bytes[4][64];
};

constexpr Patterns make_patterns() {
    Patterns patterns{};
    for (unsigned w = 0; w < 4; ++w)
        for (unsigned i = 0; i < 64; ++i) patterns.bytes[w][i] = pattern_at(i, 1u << w);
    return patterns;
}

constexpr Patterns kPatterns = make_patterns();

inline const std::uint8_t* pattern(unsigned width) {
    return kPatterns.bytes[width == 1 ? 0 : width == 2 ? 1 : width == 4 ? 2 : 3];
}

// Eight bytes at a time, then one: from an offset i that is a multiple of 8, so the 8-byte
// pattern is the row's first. A byte sum of a word by one multiply is exact while every byte is
// 0/1 (a word with a larger byte is invalid, and its sum unused).
template <bool Clamp>
std::uint64_t count_tail(const std::uint8_t* p, std::uint64_t i, std::uint64_t n, unsigned width, std::uint8_t& bits) {
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full, kOnes = 0x0101010101010101ull;
    std::uint64_t sum = 0, seen = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        if (Clamp)
            word = ((((word & kLow7) + kLow7) | word) >> 7) & kOnes;  // 1 in each nonzero byte
        else
            seen |= word;
        sum += (word * kOnes) >> 56;
    }
    std::uint64_t pattern8;
    std::memcpy(&pattern8, pattern(width), 8);
    if (seen & pattern8) bits = 1;
    for (; i < n; ++i) {
        if (Clamp) {
            sum += p[i] != 0;
        } else {
            sum += p[i];
            bits |= static_cast<std::uint8_t>(p[i] & pattern_at(i, width));
        }
    }
    return sum;
}

#if defined(PHASE_ROUTER_BYTES_AVX512)
using Vec = __m512i;
constexpr std::uint64_t kLanes = 64;
inline Vec load(const std::uint8_t* p) { return _mm512_loadu_si512(static_cast<const void*>(p)); }
inline Vec clamp01(Vec v) { return _mm512_min_epu8(v, _mm512_set1_epi8(1)); }
inline Vec bit_or(Vec a, Vec b) { return _mm512_or_si512(a, b); }
inline Vec byte_sums(Vec v) { return _mm512_sad_epu8(v, _mm512_setzero_si512()); }
inline Vec add64(Vec a, Vec b) { return _mm512_add_epi64(a, b); }
inline Vec zero() { return _mm512_setzero_si512(); }
inline std::uint64_t total(Vec v) { return static_cast<std::uint64_t>(_mm512_reduce_add_epi64(v)); }
inline bool any_masked(Vec v, const std::uint8_t* mask) { return _mm512_test_epi8_mask(v, load(mask)) != 0; }
// The last n < 64 bytes in one masked load (lanes past n read as 0, and nothing past p + n is touched).
#define PHASE_ROUTER_BYTES_MASKED_TAIL 1
inline Vec load_first(const std::uint8_t* p, std::uint64_t n) {
    return _mm512_maskz_loadu_epi8(_bzhi_u64(~std::uint64_t{0}, static_cast<unsigned>(n)), p);
}
#elif defined(PHASE_ROUTER_BYTES_AVX2)
using Vec = __m256i;
constexpr std::uint64_t kLanes = 32;
inline Vec load(const std::uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline Vec clamp01(Vec v) { return _mm256_min_epu8(v, _mm256_set1_epi8(1)); }
inline Vec bit_or(Vec a, Vec b) { return _mm256_or_si256(a, b); }
inline Vec byte_sums(Vec v) { return _mm256_sad_epu8(v, _mm256_setzero_si256()); }
inline Vec add64(Vec a, Vec b) { return _mm256_add_epi64(a, b); }
inline Vec zero() { return _mm256_setzero_si256(); }
inline std::uint64_t total(Vec v) {
    alignas(32) std::uint64_t lanes[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), v);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
inline bool any_masked(Vec v, const std::uint8_t* mask) { return !_mm256_testz_si256(v, load(mask)); }
#elif defined(PHASE_ROUTER_BYTES_SSE2)
using Vec = __m128i;
constexpr std::uint64_t kLanes = 16;
inline Vec load(const std::uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline Vec clamp01(Vec v) { return _mm_min_epu8(v, _mm_set1_epi8(1)); }
inline Vec bit_or(Vec a, Vec b) { return _mm_or_si128(a, b); }
inline Vec byte_sums(Vec v) { return _mm_sad_epu8(v, _mm_setzero_si128()); }
inline Vec add64(Vec a, Vec b) { return _mm_add_epi64(a, b); }
inline Vec zero() { return _mm_setzero_si128(); }
inline std::uint64_t total(Vec v) {
    alignas(16) std::uint64_t lanes[2];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), v);
    return lanes[0] + lanes[1];
}
inline bool any_masked(Vec v, const std::uint8_t* mask) {
    return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, load(mask)), _mm_setzero_si128())) != 0xFFFF;
}
#endif

#ifdef PHASE_ROUTER_BYTES_VECTOR
template <bool Clamp>
void add_vector(Vec v, Vec& sum, Vec& seen) {
    if (Clamp)
        v = clamp01(v);
    else
        seen = bit_or(seen, v);
    sum = add64(sum, byte_sums(v));
}

// Two vectors per step, then one, then the rest (one masked load on AVX-512, bytes otherwise).
// Every vector starts a multiple of the vector width into the row, so a lane always sees the
// same offset modulo the element width: the bytes are ORed as they are and masked by their
// lane's pattern once at the end.
template <bool Clamp>
std::uint64_t count_vector(const std::uint8_t* p, std::uint64_t n, unsigned width, bool& bad) {
    Vec sum0 = zero(), sum1 = zero(), seen0 = zero(), seen1 = zero();
    std::uint64_t i = 0;
    for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
        add_vector<Clamp>(load(p + i), sum0, seen0);
        add_vector<Clamp>(load(p + i + kLanes), sum1, seen1);
    }
    if (i + kLanes <= n) {
        add_vector<Clamp>(load(p + i), sum0, seen0);
        i += kLanes;
    }
#ifdef PHASE_ROUTER_BYTES_MASKED_TAIL
    if (i < n) {
        add_vector<Clamp>(load_first(p + i, n - i), sum1, seen1);
        i = n;
    }
#endif
    std::uint8_t bits = 0;
    if (!Clamp && any_masked(bit_or(seen0, seen1), pattern(width))) bits = 1;
    const std::uint64_t sum = total(add64(sum0, sum1)) + count_tail<Clamp>(p, i, n, width, bits);
    if (bits) bad = true;
    return sum;
}
#endif

template <bool Clamp>
void rows_of(const std::uint8_t* p, std::uint64_t rows, std::int64_t row_stride, std::uint64_t row_bytes,
             unsigned width, std::uint32_t* out, bool& bad) {
    for (std::uint64_t r = 0; r < rows; ++r) {
        poll_cancel(r);
        const std::uint8_t* row = p + static_cast<std::int64_t>(r) * row_stride;
#ifdef PHASE_ROUTER_BYTES_VECTOR
        out[r] = static_cast<std::uint32_t>(count_vector<Clamp>(row, row_bytes, width, bad));
#else
        std::uint8_t bits = 0;
        out[r] = static_cast<std::uint32_t>(count_tail<Clamp>(row, 0, row_bytes, width, bits));
        if (bits) bad = true;
#endif
    }
}

void count_rows(const std::uint8_t* p, std::uint64_t rows, std::int64_t row_stride, std::uint64_t row_bytes,
                unsigned width, bool clamp, std::uint32_t* out, bool& bad) {
    if (clamp)
        rows_of<true>(p, rows, row_stride, row_bytes, width, out, bad);
    else
        rows_of<false>(p, rows, row_stride, row_bytes, width, out, bad);
}

// The OR of all bytes has a bit above the lowest in some byte exactly when a byte is above 1.
std::uint64_t high_bits(const std::uint8_t* p, std::uint64_t n) {
    std::uint64_t i = 0;
    std::uint8_t any = 0;
#ifdef PHASE_ROUTER_BYTES_VECTOR
    Vec seen0 = zero(), seen1 = zero();
    for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
        seen0 = bit_or(seen0, load(p + i));
        seen1 = bit_or(seen1, load(p + i + kLanes));
    }
    if (any_masked(bit_or(seen0, seen1), pattern(1))) any = 0xFE;
#endif
    std::uint64_t words = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        words |= word;
    }
    if (words & 0xFEFEFEFEFEFEFEFEull) any = 0xFE;
    for (; i < n; ++i) any |= p[i];
    return any & 0xFEu;
}

}  // namespace

const ByteCountKernels kernels{&count_rows, &high_bits};

}  // namespace PHASE_ROUTER_KERNEL_NS
}  // namespace phase_router

#undef PHASE_ROUTER_BYTES_MASKED_TAIL

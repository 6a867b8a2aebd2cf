// Word-level helpers shared by the kernel steps. Pure functions of their inputs: the result is
// the same whichever instructions the compiler picks.
#pragma once
#include <cstddef>
#include <cstdint>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace phase_router {

inline int popcount64(std::uint64_t x) {
    // Portable builds (no -mpopcnt) get the bit-slicing count inline: GCC's builtin would be a
    // call into libgcc per word (7% of a routing), and inline code can also be vectorised.
    // The dispatched kernels (selection/draw_paths.cpp) count with the POPCNT instruction.
#if (defined(_MSC_VER) && !defined(__clang__)) || (defined(__x86_64__) && !defined(__POPCNT__))
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
#else
    return __builtin_popcountll(x);
#endif
}

// Index of the lowest set bit; x must be non-zero.
inline int ctz64(std::uint64_t x) {
#if defined(_MSC_VER) && !defined(__clang__)
    unsigned long index;
    _BitScanForward64(&index, x);
    return static_cast<int>(index);
#else
    return __builtin_ctzll(x);
#endif
}

inline std::size_t words_for_bits(std::size_t bits) { return (bits + 63) / 64; }

// Mask of the bits of the last word of an n-bit bitmap that lie inside the bitmap.
inline std::uint64_t tail_mask(std::size_t bits) {
    const unsigned r = static_cast<unsigned>(bits % 64);
    return r == 0 ? ~0ULL : ((1ULL << r) - 1);
}

inline void set_bit(std::uint64_t* words, std::size_t i) { words[i >> 6] |= 1ULL << (i & 63); }
inline void clear_bit(std::uint64_t* words, std::size_t i) { words[i >> 6] &= ~(1ULL << (i & 63)); }
inline void flip_bit(std::uint64_t* words, std::size_t i) { words[i >> 6] ^= 1ULL << (i & 63); }
inline std::uint64_t test_bit(const std::uint64_t* words, std::size_t i) {
    return (words[i >> 6] >> (i & 63)) & 1ULL;
}

// Bits [start, start + count) of a bitmap, 1 <= count <= 64, as the low bits of one word.
// Always reads words[start/64 + 1], so the bitmap needs one spare word at its end; no branch,
// because whether a range crosses a word boundary is a coin flip for the predictor.
inline std::uint64_t extract_bits(const std::uint64_t* words, std::size_t start, unsigned count) {
    const std::size_t w = start >> 6;
    const unsigned shift = static_cast<unsigned>(start & 63);
    // (next << 1) << (63 - shift) is next << (64 - shift) without the undefined shift by 64.
    const std::uint64_t v = (words[w] >> shift) | ((words[w + 1] << 1) << (63 - shift));
    return v & (~0ULL >> (64 - count));
}

}  // namespace phase_router

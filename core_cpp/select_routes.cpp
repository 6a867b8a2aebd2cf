#include "select_routes.hpp"

#include <algorithm>

#if defined(__BMI2__)
#include <immintrin.h>
#endif

#include "bitops.hpp"
#include "splitmix.hpp"

namespace phase_router {

void sample_ranks(std::uint64_t row_key, std::uint32_t n, std::uint32_t count, std::uint8_t* marks,
                  std::uint64_t* ranks) {
    // Floyd: for j = n-count .. n-1, draw v uniform on [0, j]; keep v, or j if v is already kept.
    // The draws are DrawStream's, consumed here two per SplitMix64 word (high half first).
    std::uint32_t j = n - count;
    std::uint64_t counter = 0;
    auto consume = [&](std::uint32_t draw) {
        std::uint32_t v;  // uniform on [0, j]
        if (!lemire_accept(draw, j + 1, &v)) return;  // rejected: the next draw retries this j
        // pick = marks[v] ? j : v, without a branch: v collides with an earlier pick up to half
        // the time, which no predictor can guess.
        const std::uint32_t taken = 0u - static_cast<std::uint32_t>(marks[v]);
        const std::uint32_t pick = v ^ ((v ^ j) & taken);
        marks[pick] = 1;
        set_bit(ranks, pick);
        ++j;
    };
    while (j < n) {
        const std::uint64_t word = splitmix(row_key, counter++);
        consume(static_cast<std::uint32_t>(word >> 32));
        if (j < n) consume(static_cast<std::uint32_t>(word));
    }
    // Clear the marks through the bitmap: O(n/64 + count), also when count is tiny and n huge.
    for (std::size_t w = 0; w < words_for_bits(n); ++w) {
        for (std::uint64_t bits = ranks[w]; bits != 0; bits &= bits - 1) marks[w * 64 + ctz64(bits)] = 0;
    }
}

namespace {

// Writes every candidate target in ascending order.
std::size_t emit_all(const std::uint64_t* candidates, std::size_t words, std::int32_t* out) {
    std::size_t n = 0;
    for (std::size_t w = 0; w < words; ++w) {
        for (std::uint64_t bits = candidates[w]; bits != 0; bits &= bits - 1) {
            out[n++] = static_cast<std::int32_t>(w * 64 + ctz64(bits));
        }
    }
    return n;
}

// Writes the candidates whose rank is marked (or, with `invert`, unmarked) in `ranks`, in
// ascending target order, into out[0..capacity). For each candidate word, `picked` holds the
// marks of its ranks, one bit per set bit of the word, lowest first.
std::size_t emit_ranked(const std::uint64_t* candidates, std::size_t words, const std::uint64_t* ranks,
                        bool invert, std::int32_t* out, std::size_t capacity) {
    std::size_t n = 0;
    std::size_t rank = 0;
    for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t bits = candidates[w];
        if (bits == 0) continue;
        const unsigned count = static_cast<unsigned>(popcount64(bits));
        std::uint64_t picked = extract_bits(ranks, rank, count);
        if (invert) picked = ~picked & (~0ULL >> (64 - count));
        rank += count;
        const std::int32_t base = static_cast<std::int32_t>(w * 64);
#if defined(__BMI2__)
        // Deposit the picks onto the candidate bits: the picked targets of this word.
        std::uint64_t hits = _pdep_u64(picked, bits);
        if (n + 64 <= capacity) {
            // Decode eight at a time, writing up to seven spare slots that later words overwrite,
            // so the loop exit is predictable.
            const int found = popcount64(hits);
            for (int x = 0; x < found; x += 8) {
                for (int u = 0; u < 8; ++u) {
                    out[n + x + u] = base + ctz64(hits | (1ULL << 63));
                    hits &= hits - 1;
                }
            }
            n += static_cast<std::size_t>(found);
        } else {
            for (; hits != 0; hits &= hits - 1) out[n++] = base + ctz64(hits);
        }
#else
        // Branch-free: always store the current candidate, advance only when it is picked.
        // `picked` is non-zero while a picked candidate remains, so n stays below capacity.
        while (picked != 0) {
            out[n] = base + ctz64(bits);
            n += picked & 1;
            picked >>= 1;
            bits &= bits - 1;
        }
#endif
    }
    return n;
}

}  // namespace

void select_routes(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                   std::uint32_t k, std::uint64_t row_key, SelectScratch& scratch, std::int32_t* out) {
    std::size_t written;
    if (candidate_count <= k) {
        written = emit_all(candidates, words, out);
    } else {
        const std::uint32_t dropped = candidate_count - k;
        const bool draw_kept = k <= dropped;
        const std::uint32_t count = draw_kept ? k : dropped;
        std::uint64_t* ranks = scratch.ranks.data();
        sample_ranks(row_key, candidate_count, count, scratch.marks.data(), ranks);
        written = emit_ranked(candidates, words, ranks, !draw_kept, out, k);
        std::fill(ranks, ranks + words_for_bits(candidate_count), 0);
    }
    std::fill(out + written, out + k, -1);
}

}  // namespace phase_router

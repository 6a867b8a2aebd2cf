#include "baselines/hash.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "common/cancellation.hpp"
#include "common/sampling.hpp"
#include "common/weighted_draws.hpp"
#include "common/bitops.hpp"
#include "common/parallel.hpp"
#include "common/splitmix.hpp"
#include "selection/random.hpp"

namespace phase_router {

namespace {

void check_counts(const std::uint32_t* counts, std::uint32_t M, std::uint32_t limit, std::uint32_t k) {
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        if (counts[i] > limit || counts[i] > k) throw std::invalid_argument("a row count exceeds k or the eligible targets");
    }
}

// Row i's chosen targets (unsorted in `picked`) written ascending, then -1 padding.
void write_row(std::vector<std::uint32_t>& picked, std::uint32_t k, std::int32_t* row) {
    std::sort(picked.begin(), picked.end());
    std::size_t n = 0;
    for (; n < picked.size(); ++n) row[n] = static_cast<std::int32_t>(picked[n]);
    std::fill(row + n, row + k, -1);
}

// The set bits of bitmap[0 .. words) in ascending order, then -1 padding; the bitmap is cleared.
void write_bitmap_row(std::uint64_t* bitmap, std::size_t words, std::uint32_t k, std::int32_t* row) {
    std::size_t n = 0;
    for (std::size_t w = 0; w < words; ++w) {
        for (std::uint64_t bits = bitmap[w]; bits != 0; bits &= bits - 1)
            row[n++] = static_cast<std::int32_t>(w * 64 + ctz64(bits));
        bitmap[w] = 0;
    }
    std::fill(row + n, row + k, -1);
}

// Whether a row of n picks among E targets is written from a bitmap (one pass over E / 64 words)
// rather than by sorting its picks (n log n comparisons). The output is the same either way.
bool bitmap_pays(std::uint32_t n, std::uint32_t E) { return static_cast<std::uint64_t>(E) <= 32ULL * n; }

}  // namespace

void hash_route_uniform(const std::uint32_t* counts, std::uint32_t M, std::uint32_t E, std::uint32_t k,
                        std::uint64_t seed, int threads, std::int32_t* out) {
    if (M == 0 || E == 0 || k == 0) throw std::invalid_argument("M, E and k must be at least 1");
    check_counts(counts, M, E, k);
    const std::uint64_t key = domain_key(seed, Domain::kHashUniform);
    run_parallel(thread_count(threads), [&](int part, int parts) {
        // Floyd: for j = E-n .. E-1 draw v in [0, j] (SPEC's 32-bit stream); take v, or j if v is
        // taken already. Dense rows use the selection step's own Floyd (the same draws, the same
        // set) into a bitmap; sparse rows a byte per target and a sort of the few picks.
        SelectScratch scratch(E);
        std::vector<std::uint8_t>& chosen = scratch.marks;  // zero between rows in both paths
        std::vector<std::uint32_t> picked;
        for (std::uint64_t i = part_begin(M, part, parts); i < part_begin(M, part + 1, parts); ++i) {
            poll_cancel(i);
            const std::uint32_t n = counts[i];
            std::int32_t* row = out + i * k;
            if (bitmap_pays(n, E)) {
                sample_ranks(splitmix(key, i), E, n, chosen.data(), scratch.ranks.data());
                write_bitmap_row(scratch.ranks.data(), words_for_bits(E), k, row);
                continue;
            }
            picked.clear();
            DrawStream stream(splitmix(key, i));
            for (std::uint64_t j = E - n; j < E; ++j) {
                const std::uint32_t v = stream.bounded(static_cast<std::uint32_t>(j + 1));
                const std::uint32_t take = chosen[v] ? static_cast<std::uint32_t>(j) : v;
                chosen[take] = 1;
                picked.push_back(take);
            }
            for (std::uint32_t j : picked) chosen[j] = 0;
            write_row(picked, k, row);
        }
    });
}

void hash_route_weighted(const std::uint32_t* counts, std::uint32_t M, const std::uint32_t* weights,
                         std::uint32_t E, std::uint32_t k, std::uint64_t seed, int threads, std::int32_t* out) {
    if (M == 0 || E == 0 || k == 0) throw std::invalid_argument("M, E and k must be at least 1");
    const WeightedRowDraws rows(weights, E);
    check_counts(counts, M, rows.positive(), k);
    const std::uint64_t key = domain_key(seed, Domain::kHashWeighted);
    run_parallel(thread_count(threads), [&](int part, int parts) {
        std::vector<std::uint8_t> taken(E, 0);                   // picked in this row; zero between rows
        std::vector<std::uint64_t> bitmap(words_for_bits(E), 0);  // the same picks, for ascending output
        std::vector<std::uint32_t> picked;
        for (std::uint64_t i = part_begin(M, part, parts); i < part_begin(M, part + 1, parts); ++i) {
            poll_cancel(i);
            const std::uint32_t n = counts[i];
            picked.resize(n);
            rows.draw(splitmix(key, i), n, taken.data(), picked.data());
            std::int32_t* row = out + i * k;
            if (bitmap_pays(n, E)) {
                for (std::uint32_t j : picked) {
                    taken[j] = 0;
                    bitmap[j >> 6] |= 1ULL << (j & 63);
                }
                write_bitmap_row(bitmap.data(), bitmap.size(), k, row);
            } else {
                for (std::uint32_t j : picked) taken[j] = 0;
                write_row(picked, k, row);
            }
        }
    });
}

}  // namespace phase_router

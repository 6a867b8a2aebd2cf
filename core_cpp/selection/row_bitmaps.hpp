// Each flexible row's routes and spare candidates as bitmaps over the targets, written by the
// balanced policy's phase A (selection/policy_balanced.cpp) while the row's candidates are at hand
// and read by phase C (selection/bitmap_sweeps.cpp). With them phase C never lists a row's
// candidates again or edits sorted lists: a move flips four bits, and "the smallest spare
// candidate below the cap" is a scan of a few words. Only a representation: the routes are the
// same as with spare lists (selection/balanced_sweeps.cpp).
#pragma once
#include <algorithm>
#include <cstdint>

#include "common/bitops.hpp"
#include "common/scratch_pool.hpp"

namespace phase_router {

// Which working store phase C uses: chosen by memory, or forced (the tests run both).
enum class PhaseCStore : std::uint32_t { kAutomatic = 0, kLists = 1, kBitmaps = 2 };

class RowBitmaps {
public:
    // Bytes the bitmaps and phase C's per-target copies of them (bitmap_sweeps.cpp) take for M
    // rows and E targets: two row bitmaps per row, and per target a column of rows and a
    // sweep's snapshot of it.
    static std::uint64_t bytes(std::uint64_t M, std::uint64_t E) {
        return 8 * (2 * M * words_for_bits(E) + 2 * E * words_for_bits(M));
    }

    // The automatic choice, when the bitmaps take no more memory than twice the routes or
    // 32 MiB, whichever is more: bitmaps for rows of at least 32 routes, or when the row
    // bitmaps fit in 2 MiB (a core's cache). Phase A writes each flexible row's bitmaps as it
    // selects the row, and rows come in ring order, so each row's words land at a random place:
    // past the caches that is a memory access per row, as much as selecting a row of a few
    // routes (MoE, 65536 x 256, k = 8: phase A 1.6 -> 3.3 ms, and phase C moves only a handful of
    // routes there). Within the caches it costs little, and phase C gains (1024 x 1024 at
    // k = 16: the selection 0.61 -> 0.34 ms).
    static bool fit(std::uint64_t M, std::uint64_t E, std::uint64_t k) {
        const std::uint64_t row_bytes = 16 * M * words_for_bits(E);
        return (k >= 32 || row_bytes <= (std::uint64_t{2} << 20)) &&
               bytes(M, E) <= std::max<std::uint64_t>(8 * M * k, std::uint64_t{1} << 25);
    }

    // Not cleared here: each flexible row clears its own words as phase A writes it (on the
    // thread that selected it, not all at once on this one), and only flexible rows are read.
    RowBitmaps(std::uint32_t M, std::uint32_t E)
        : words_(words_for_bits(E)), routes_(std::size_t{M} * words_), spare_(std::size_t{M} * words_) {}

    std::size_t words() const { return words_; }
    std::uint64_t* routes(std::uint32_t i) { return routes_.data() + std::size_t{i} * words_; }
    std::uint64_t* spare(std::uint32_t i) { return spare_.data() + std::size_t{i} * words_; }

    // Row i (flexible: more candidates than routes) from its candidate words and its spare list
    // (`count` targets): routes are the candidates not spare.
    void from_spare_list(std::uint32_t i, const std::uint64_t* candidates, std::size_t candidate_words,
                         const std::uint32_t* spare, std::uint32_t count) {
        std::uint64_t* s = clear(this->spare(i));
        std::uint64_t* r = routes(i);
        for (std::uint32_t x = 0; x < count; ++x) set_bit(s, spare[x]);
        const std::size_t n = std::min(candidate_words, words_);
        for (std::size_t w = 0; w < n; ++w) r[w] = candidates[w] & ~s[w];
        std::fill(r + n, r + words_, 0);
    }

    // Row i from its candidate words and its routes (`count` targets): spare are the candidates
    // not routed to.
    void from_routes(std::uint32_t i, const std::uint64_t* candidates, std::size_t candidate_words,
                     const std::int32_t* routes_of_row, std::uint32_t count) {
        std::uint64_t* s = spare(i);
        std::uint64_t* r = clear(routes(i));
        for (std::uint32_t x = 0; x < count; ++x) set_bit(r, static_cast<std::uint32_t>(routes_of_row[x]));
        const std::size_t n = std::min(candidate_words, words_);
        for (std::size_t w = 0; w < n; ++w) s[w] = candidates[w] & ~r[w];
        std::fill(s + n, s + words_, 0);
    }

    // Row i from its candidate list (ascending) and its routes.
    void from_list(std::uint32_t i, const std::uint32_t* candidates, std::uint32_t candidate_count,
                   const std::int32_t* routes_of_row, std::uint32_t count) {
        std::uint64_t* s = clear(spare(i));
        std::uint64_t* r = clear(routes(i));
        for (std::uint32_t x = 0; x < count; ++x) set_bit(r, static_cast<std::uint32_t>(routes_of_row[x]));
        for (std::uint32_t x = 0; x < candidate_count; ++x)
            if (!test_bit(r, candidates[x])) set_bit(s, candidates[x]);
    }

    // Row i's routes are now those of `routes_of_row` (`count`, the same candidates as before):
    // its candidates, routes and spare ones together, are split again.
    void reroute(std::uint32_t i, const std::int32_t* routes_of_row, std::uint32_t count) {
        std::uint64_t* s = spare(i);
        std::uint64_t* r = routes(i);
        for (std::size_t w = 0; w < words_; ++w) {
            s[w] |= r[w];
            r[w] = 0;
        }
        for (std::uint32_t x = 0; x < count; ++x) set_bit(r, static_cast<std::uint32_t>(routes_of_row[x]));
        for (std::size_t w = 0; w < words_; ++w) s[w] &= ~r[w];
    }

private:
    std::uint64_t* clear(std::uint64_t* row) const {
        std::fill(row, row + words_, 0);
        return row;
    }

    std::size_t words_;
    ScratchWords routes_, spare_;
};

}  // namespace phase_router

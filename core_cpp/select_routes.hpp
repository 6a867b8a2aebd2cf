// Step 7 of the spec: keep at most k of a row's candidates.
// The kept set is a uniformly random k-subset of candidate ranks (rank r = the r-th candidate in
// ascending target order), drawn by Floyd's algorithm from the row's own SplitMix64 stream; when
// k > c/2 the c-k dropped ranks are drawn instead. It depends on (seed, row, candidate set) only,
// costs O(min(k, c-k)) draws plus one pass over the candidate words, and is written in ascending
// target order followed by -1 padding.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

// Scratch reused across rows by one thread, all zero between rows.
struct SelectScratch {
    explicit SelectScratch(std::size_t max_candidates)
        : marks(max_candidates, 0), chosen(max_candidates), ranks((max_candidates + 63) / 64 + 1, 0) {}
    std::vector<std::uint8_t> marks;    // Floyd's membership test, one byte per rank
    std::vector<std::uint32_t> chosen;  // the ranks Floyd picked, in draw order
    std::vector<std::uint64_t> ranks;   // the same ranks as a bitmap, for the ordered walk
};

// Floyd's algorithm: a uniformly random `count`-subset of [0, n), drawn from the stream keyed by
// row_key, written to chosen[0..count) in draw order. `marks` (n bytes) is zero on entry and exit.
// Bytes rather than bits: consecutive draws rarely touch the same byte, so the CPU need not wait
// for one iteration's store before the next iteration's test.
void sample_ranks(std::uint64_t row_key, std::uint32_t n, std::uint32_t count, std::uint8_t* marks,
                  std::uint32_t* chosen);

// candidates: words bitmap of the row's candidate targets; candidate_count its popcount.
void select_routes(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                   std::uint32_t k, std::uint64_t row_key, SelectScratch& scratch, std::int32_t* out);

}  // namespace phase_router

// Step 7 of the spec: keep at most k of a row's candidates.
// The kept set is a uniformly random k-subset of candidate ranks (rank r = the r-th candidate in
// ascending target order), drawn by Floyd's algorithm from the row's own SplitMix64 stream; when
// k > c/2 the c-k dropped ranks are drawn instead. It depends on (seed, row, candidate set) only,
// costs O(min(k, c-k)) draws plus one pass over the candidate words, and is written in ascending
// target order followed by -1 padding.
#pragma once
#include <cstdint>
#include <vector>

#include "selection/draw_paths.hpp"

namespace phase_router {

// Scratch reused across rows by one thread. `marks` is zero between rows; `ranks` is rewritten
// for every row (words past the row's candidates may hold stale bits, which are never read).
struct SelectScratch {
    explicit SelectScratch(std::size_t max_candidates)
        : marks((max_candidates + 63) / 64 * 64, 0), ranks((max_candidates + 63) / 64 + 1, 0),
          kernels(selection_kernels()) {}
    std::vector<std::uint8_t> marks;   // Floyd's membership test, one byte per rank (whole 64-byte blocks)
    std::vector<std::uint64_t> ranks;  // the picked ranks as a bitmap (+1 spare word), for the walk
    const SelectionKernels& kernels;   // this CPU's path, looked up once rather than per row
};

// Floyd's algorithm: writes a uniformly random `count`-subset of [0, n), drawn from the stream
// keyed by row_key, as the bitmap ranks[0 .. ceil(n/64)). `marks` (n bytes rounded up to whole
// 64-byte blocks) is used for the membership test; it is zero on entry and on return. Bytes rather than bits for the test: consecutive
// draws rarely touch the same byte, so the CPU need not wait for one iteration's store before
// the next iteration's load.
void sample_ranks(std::uint64_t row_key, std::uint32_t n, std::uint32_t count, std::uint8_t* marks,
                  std::uint64_t* ranks);

// candidates: words bitmap of the row's candidate targets; candidate_count its popcount.
// (Dense rows.) Returns the routes written, min(k, candidate_count). Inline: MoE rows cost a
// few nanoseconds, so the call goes straight to the CPU path's kernel.
inline std::uint32_t select_routes(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                                   std::uint32_t k, std::uint64_t row_key, SelectScratch& scratch, std::int32_t* out) {
    return scratch.kernels.select_bitmap(candidates, words, candidate_count, k, row_key, scratch.marks.data(),
                                         scratch.ranks.data(), out);
}

// The same selection when the candidates are given as a list of target ids in ascending order
// (sparse rows): rank r is list[r], so the kept targets are bit-identical to the bitmap path.
// Returns the routes written.
std::uint32_t select_from_list(const std::uint32_t* candidates, std::uint32_t candidate_count, std::uint32_t k,
                      std::uint64_t row_key, SelectScratch& scratch, std::int32_t* out);

// The candidates that the last select_routes call with `scratch` left out of the row, ascending,
// into out; candidate_count > k. out has room for candidate_count - k entries and the 64 that
// vector stores may write past them. Returns their count, candidate_count - k.
std::size_t unselected_routes(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                              std::uint32_t k, const SelectScratch& scratch, std::uint32_t* out);

// The same after select_from_list.
std::size_t unselected_from_list(const std::uint32_t* candidates, std::uint32_t candidate_count, std::uint32_t k,
                                 const SelectScratch& scratch, std::uint32_t* out);

}  // namespace phase_router

#include "selection/random.hpp"

#include <algorithm>

#include "common/bitops.hpp"
#include "selection/draw_paths.hpp"

namespace phase_router {

// The draws and the ordered walk depend on the CPU path (selection/draw_paths.hpp); the bits
// they produce do not.
void sample_ranks(std::uint64_t row_key, std::uint32_t n, std::uint32_t count, std::uint8_t* marks,
                  std::uint64_t* ranks) {
    selection_kernels().sample_ranks(row_key, n, count, marks, ranks);
}

std::uint32_t select_from_list(const std::uint32_t* candidates, std::uint32_t candidate_count, std::uint32_t k,
                      std::uint64_t row_key, SelectScratch& scratch, std::int32_t* out) {
    std::size_t written = 0;
    if (candidate_count <= k) {
        for (; written < candidate_count; ++written) out[written] = static_cast<std::int32_t>(candidates[written]);
    } else {
        const std::uint32_t dropped = candidate_count - k;
        const bool draw_kept = k <= dropped;
        std::uint64_t* ranks = scratch.ranks.data();
        sample_ranks(row_key, candidate_count, draw_kept ? k : dropped, scratch.marks.data(), ranks);
        for (std::size_t w = 0; w < words_for_bits(candidate_count); ++w) {
            std::uint64_t picked = draw_kept ? ranks[w] : ~ranks[w];
            if ((w + 1) * 64 > candidate_count) picked &= tail_mask(candidate_count);
            for (; picked != 0; picked &= picked - 1) {
                out[written++] = static_cast<std::int32_t>(candidates[w * 64 + ctz64(picked)]);
            }
        }
    }
    std::fill(out + written, out + k, -1);
    return static_cast<std::uint32_t>(written);
}

// Routes were emitted with ranks inverted when the dropped ranks were drawn; the left-out
// candidates are the other side of the same ranks.
std::size_t unselected_routes(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                              std::uint32_t k, const SelectScratch& scratch, std::uint32_t* out) {
    const std::uint32_t dropped = candidate_count - k;
    const bool draw_kept = k <= dropped;
    return selection_kernels().emit_ranked(candidates, words, scratch.ranks.data(), draw_kept,
                                           reinterpret_cast<std::int32_t*>(out), std::size_t{dropped} + 64);
}

std::size_t unselected_from_list(const std::uint32_t* candidates, std::uint32_t candidate_count, std::uint32_t k,
                                 const SelectScratch& scratch, std::uint32_t* out) {
    const bool draw_kept = k <= candidate_count - k;
    std::size_t written = 0;
    for (std::size_t w = 0; w < words_for_bits(candidate_count); ++w) {
        std::uint64_t left = draw_kept ? ~scratch.ranks[w] : scratch.ranks[w];
        if ((w + 1) * 64 > candidate_count) left &= tail_mask(candidate_count);
        for (; left != 0; left &= left - 1) out[written++] = candidates[w * 64 + ctz64(left)];
    }
    return written;
}

}  // namespace phase_router

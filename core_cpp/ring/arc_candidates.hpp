// Step 6 for one row by random access, as the Router and a row window both do it: the targets of
// the row's S-arc (its prefix-checkpoint bitmap, or a walk along the arc for a short row) whose
// T-arc covers the row's T-ring position q. `covers(j, q)` is the caller's test.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/bitops.hpp"
#include "common/cancellation.hpp"
#include "ring/source_arcs.hpp"

namespace phase_router {

// The walk: the s positions of the arc from phase, ascending targets out; returns their count.
template <class Covers>
std::uint32_t walked_candidates(const std::vector<std::uint32_t>& position_owner, std::uint32_t phase,
                                std::uint32_t degree, std::uint32_t q, const Covers& covers, std::uint32_t* out) {
    const auto ring = static_cast<std::uint32_t>(position_owner.size());
    std::uint32_t count = 0;
    std::uint32_t c = phase;
    for (std::uint32_t step = 0; step < degree; ++step) {
        poll_cancel(step + 1);  // a row of up to E steps: poll inside it, not at its first step
        const std::uint32_t j = position_owner[c];
        if (covers(j, q)) out[count++] = j;
        if (++c == ring) c = 0;
    }
    std::sort(out, out + count);
    return count;
}

// From the checkpoints: S'_i walked in ascending target order.
template <class Covers>
std::uint32_t checkpoint_candidates(const SourceArcs& arcs, std::uint32_t phase, std::uint32_t degree, std::uint32_t q,
                                    const Covers& covers, std::vector<std::uint64_t>& words, std::uint32_t* out) {
    words.resize(arcs.words());
    arcs.row(phase, degree, words.data());
    std::uint32_t count = 0;
    for (std::size_t x = 0; x < words.size(); ++x) {
        for (std::uint64_t bits = words[x]; bits; bits &= bits - 1) {
            const auto j = static_cast<std::uint32_t>(x * 64 + static_cast<unsigned>(ctz64(bits)));
            if (covers(j, q)) out[count++] = j;
        }
    }
    return count;
}

}  // namespace phase_router

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

// Cost model of one row, in nanoseconds measured on the development machine (benchmarks/
// bench_scale.py reports every strategy, so the model can be re-fitted): a dense row reads two
// checkpoints and ANDs, counts and walks E/64 words, plus up to 2 * stride patched bits; a
// sparse row visits s_i arc positions (a dependent, cache-missing lookup of psi_j and t_j each)
// and sorts the survivors. Rows with degree below the threshold are cheaper walked (a full row,
// degree == ring, never is).
inline double sparse_degree_threshold(std::uint32_t ring,
                                      std::uint64_t budget_bytes = SourceArcs::kDefaultBudgetBytes) {
    constexpr double kDenseNsPerWord = 0.9;
    constexpr double kDenseNsPerPatch = 1.5;
    constexpr double kSparseNsPerArcBit = 6.0;
    const double dense = kDenseNsPerWord * static_cast<double>(words_for_bits(ring)) +
                         kDenseNsPerPatch * static_cast<double>(SourceArcs::planned_stride(ring, budget_bytes));
    return dense / kSparseNsPerArcBit;
}

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

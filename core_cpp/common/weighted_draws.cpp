#include "common/weighted_draws.hpp"

#include <algorithm>

#include "common/splitmix.hpp"

namespace phase_router {

namespace {

// Phase 1: returns how many of the n picks it made (into picked[]). Plain pointers and locals, so
// the compiler keeps the running weight in a register (byte stores to `taken` may alias anything).
std::uint32_t alias_phase(const AliasTable& alias, WideDraws& draws, const std::uint32_t* __restrict weights,
                          std::uint64_t total, std::uint32_t n, std::uint8_t* __restrict taken,
                          std::uint32_t* __restrict picked) {
    std::uint64_t picked_weight = 0;
    std::uint32_t got = 0;
    if (alias.narrow()) {
        // The same words in the same order, drawn 16 ahead (independent chains the CPU overlaps);
        // words past the last one consumed are given back, so phase 2 continues where the
        // definition says.
        constexpr unsigned kBatch = 16;
        std::uint32_t batch[kBatch];
        const std::uint64_t key = draws.key();
        std::uint64_t position = draws.position();
        while (got < n && picked_weight <= total - picked_weight) {
            for (unsigned l = 0; l < kBatch; ++l) batch[l] = alias.from_word(splitmix(key, position + l));
            unsigned used = 0;
            while (used < kBatch && got < n && picked_weight <= total - picked_weight) {
                const std::uint32_t j = batch[used++];
                if (j == AliasTable::kRejected || taken[j]) continue;
                taken[j] = 1;
                picked_weight += weights[j];
                picked[got++] = j;
            }
            position += used;
        }
        draws.seek(position);
        return got;
    }
    while (got < n && picked_weight <= total - picked_weight) {
        const std::uint32_t j = alias.draw(draws);
        if (taken[j]) continue;
        taken[j] = 1;
        picked_weight += weights[j];
        picked[got++] = j;
    }
    return got;
}

}  // namespace

WeightedRowDraws::WeightedRowDraws(const std::uint32_t* weights, std::uint32_t E)
    : weights_(weights, weights + E), narrow_weights_(weights, weights + E), alias_(weights_) {
    positive_ = static_cast<std::uint32_t>(
        std::count_if(weights_.begin(), weights_.end(), [](std::uint64_t x) { return x > 0; }));
}

void WeightedRowDraws::draw(std::uint64_t row_key, std::uint32_t n, std::uint8_t* taken,
                            std::uint32_t* picked) const {
    WideDraws draws(row_key);
    std::uint32_t got = alias_phase(alias_, draws, narrow_weights_.data(), alias_.total(), n, taken, picked);
    if (got == n) return;
    std::vector<std::uint64_t> rest(weights_);
    for (std::uint32_t x = 0; x < got; ++x) rest[picked[x]] = 0;
    WeightTree tree(rest);
    while (got < n) {
        const std::uint32_t j = tree.find(draws.bounded(tree.total()));
        tree.add(j, -static_cast<std::int64_t>(weights_[j]));
        taken[j] = 1;
        picked[got++] = j;
    }
}

}  // namespace phase_router

// One row's distinct targets drawn in proportion to per-target weights: the keyed rule of the
// weighted hash router (docs/BASELINES.md), shared by that router and by the hash candidate
// source. Pure integer arithmetic on a row's own stream, so reference/baselines.py reproduces
// every pick.
#pragma once
#include <cstdint>
#include <vector>

#include "common/sampling.hpp"

namespace phase_router {

class WeightedRowDraws {
public:
    // weights: E entries; copied.
    WeightedRowDraws(const std::uint32_t* weights, std::uint32_t E);

    std::uint32_t targets() const { return static_cast<std::uint32_t>(weights_.size()); }
    // Targets with a positive weight: the most one row can draw.
    std::uint32_t positive() const { return positive_; }

    // Row stream `row_key`'s n distinct targets (n <= positive()), written to picked[0, n) in
    // draw order. Phase 1: alias draws with replacement, repeats discarded, while the picked weight is
    // at most half of the total (at most two draws per pick on average); phase 2, for rows
    // taking over half the weight: successive draws over a Fenwick tree of what is left.
    // `taken` (E bytes, all zero) is left with a 1 at each pick; the caller clears them.
    void draw(std::uint64_t row_key, std::uint32_t n, std::uint8_t* taken, std::uint32_t* picked) const;

private:
    std::vector<std::uint64_t> weights_;
    std::vector<std::uint32_t> narrow_weights_;
    AliasTable alias_;
    std::uint32_t positive_ = 0;
};

}  // namespace phase_router

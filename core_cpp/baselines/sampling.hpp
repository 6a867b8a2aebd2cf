// Sampling helpers shared by the baseline routers (docs/BASELINES.md): a 64-bit bounded draw by
// masked rejection and a Fenwick tree of target weights from which drawn targets are removed.
// Both are pure integer arithmetic, so phase_router/reference_baselines.py reproduces every bit.
#pragma once
#include <cstdint>
#include <vector>

#include "common/splitmix.hpp"

namespace phase_router {

// Uniform integers in [0, bound) for bounds up to 2^62 (sums of target weights exceed 2^32, so
// the 32-bit Lemire draws of the selection step cannot serve). Word m of the stream is
// splitmix(key, m); keep its low bits under the smallest all-ones mask >= bound - 1 and reject
// values >= bound. At most two words per value on average.
class WideDraws {
public:
    explicit WideDraws(std::uint64_t key) : key_(key) {}

    std::uint64_t bounded(std::uint64_t bound) {
        std::uint64_t mask = bound - 1;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        for (;;) {
            const std::uint64_t u = splitmix(key_, counter_++) & mask;
            if (u < bound) return u;
        }
    }

private:
    std::uint64_t key_;
    std::uint64_t counter_ = 0;
};

// Weights of targets 0..n-1 with prefix sums in O(log n); `find(u)` is the smallest j with
// w_0 + ... + w_j > u, which draws target j with probability w_j / total when u is uniform in
// [0, total). Removing a drawn target (weight to 0) makes the next draw "without replacement".
class WeightTree {
public:
    WeightTree() = default;
    explicit WeightTree(const std::vector<std::uint64_t>& weights) { assign(weights); }
    // Replaces every weight, reusing this tree's storage (for callers that build one per row).
    void assign(const std::vector<std::uint64_t>& weights);

    std::uint64_t total() const { return total_; }
    std::uint64_t weight(std::uint32_t j) const { return weights_[j]; }
    void add(std::uint32_t j, std::int64_t delta);  // weights_[j] += delta
    std::uint32_t find(std::uint64_t u) const;      // requires u < total()

private:
    std::uint32_t n_ = 0;
    std::uint32_t top_ = 1;  // highest power of two <= n_
    std::uint64_t total_ = 0;
    std::vector<std::uint64_t> weights_;
    std::vector<std::uint64_t> tree_;  // 1-based Fenwick array
};

}  // namespace phase_router

#include "baselines/sampling.hpp"

namespace phase_router {

void WeightTree::assign(const std::vector<std::uint64_t>& weights) {
    n_ = static_cast<std::uint32_t>(weights.size());
    top_ = 1;
    total_ = 0;
    weights_.assign(weights.begin(), weights.end());
    tree_.assign(weights.size() + 1, 0);
    while (n_ > 0 && top_ <= n_ / 2) top_ *= 2;
    for (std::uint32_t j = 0; j < n_; ++j) {
        total_ += weights_[j];
        tree_[j + 1] += weights_[j];
        const std::uint32_t parent = (j + 1) + ((j + 1) & (~(j + 1) + 1));
        if (parent <= n_) tree_[parent] += tree_[j + 1];
    }
}

void WeightTree::add(std::uint32_t j, std::int64_t delta) {
    weights_[j] = static_cast<std::uint64_t>(static_cast<std::int64_t>(weights_[j]) + delta);
    total_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(total_) + delta);
    for (std::uint32_t x = j + 1; x <= n_; x += x & (~x + 1))
        tree_[x] = static_cast<std::uint64_t>(static_cast<std::int64_t>(tree_[x]) + delta);
}

std::uint32_t WeightTree::find(std::uint64_t u) const {
    // Descend to the largest p with prefix(p) <= u; target p (0-based) is the first whose
    // inclusive prefix exceeds u. Zero-weight targets never satisfy that, so they are skipped.
    std::uint32_t p = 0;
    for (std::uint32_t step = top_; step > 0; step >>= 1) {
        if (p + step <= n_ && tree_[p + step] <= u) {
            p += step;
            u -= tree_[p];
        }
    }
    return p;
}

}  // namespace phase_router

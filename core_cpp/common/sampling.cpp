#include "common/sampling.hpp"

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

AliasTable::AliasTable(const std::vector<std::uint64_t>& weights)
    : buckets_(weights.size(), Bucket{0, 0}) {
    const auto n = static_cast<std::uint32_t>(weights.size());
    for (std::uint64_t w : weights) total_ += w;
    if (n > 0) reject_bucket_ = (0u - n) % n;
    if (total_ > 0 && total_ < (1ULL << 32)) reject_u_ = (0u - static_cast<std::uint32_t>(total_)) % static_cast<std::uint32_t>(total_);
    // Scaled weights x_j = w_j * E sum to E * W: bucket capacity W each. Both lists in ascending j,
    // used as stacks (the last entry first); every step fills one small bucket from one large.
    std::vector<std::uint64_t> x(n);
    std::vector<std::uint32_t> small, large;
    for (std::uint32_t j = 0; j < n; ++j) {
        x[j] = weights[j] * n;  // w_j <= 2^32 - 1 and E <= 2^32 - 1: fits
        buckets_[j].alias = j;
        (x[j] < total_ ? small : large).push_back(j);
    }
    while (!small.empty() && !large.empty()) {
        const std::uint32_t l = small.back(), g = large.back();
        small.pop_back();
        large.pop_back();
        buckets_[l] = Bucket{x[l], g};
        x[g] -= total_ - x[l];
        (x[g] < total_ ? small : large).push_back(g);
    }
    // Exact integers: the scaled weights left always sum to W per bucket, so both lists empty
    // together; what is left keeps itself.
    for (std::uint32_t j : large) buckets_[j].threshold = total_;
    for (std::uint32_t j : small) buckets_[j].threshold = total_;
    if (total_ < (1ULL << 32)) {
        packed_.resize(n);
        for (std::uint32_t j = 0; j < n; ++j) packed_[j] = buckets_[j].threshold << 32 | buckets_[j].alias;
    }
}

}  // namespace phase_router

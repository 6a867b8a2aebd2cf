// Weighted sampling shared by the balanced policy and the baseline routers (docs/BASELINES.md):
// a 64-bit bounded draw by masked rejection, a Fenwick tree of target weights from which drawn
// targets are removed, and an integer alias table (O(1) weighted draws with replacement).
// All pure integer arithmetic, so phase_router/reference/baselines.py reproduces every bit.
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

    std::uint64_t next() { return splitmix(key_, counter_++); }
    std::uint64_t key() const { return key_; }
    std::uint64_t position() const { return counter_; }  // the index of the next word
    void seek(std::uint64_t position) { counter_ = position; }

    // Lemire's multiply-shift on the same words: the high 64 bits of word * bound, the word
    // rejected when the low 64 bits fall below 2^64 mod bound (a chance of bound / 2^64 at most),
    // so nearly every value costs one word and no unpredictable branch. Used by the alias draws.
    std::uint64_t lemire(std::uint64_t bound) {
        for (;;) {
            const unsigned __int128 m = static_cast<unsigned __int128>(splitmix(key_, counter_++)) * bound;
            const auto low = static_cast<std::uint64_t>(m);
            if (low < bound && low < (0 - bound) % bound) continue;
            return static_cast<std::uint64_t>(m >> 64);
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

// Walker's alias table in exact integers (Vose's construction, docs/BASELINES.md): bucket b
// (uniform over E) keeps b when u < threshold[b] (u uniform in [0, W), W = sum of weights) and
// gives alias[b] otherwise, so target j comes out with probability exactly w_j / W. Built once
// per call; every draw is O(1).
class AliasTable {
public:
    explicit AliasTable(const std::vector<std::uint64_t>& weights);

    std::uint64_t total() const { return total_; }
    std::uint32_t size() const { return static_cast<std::uint32_t>(buckets_.size()); }
    bool narrow() const { return total_ < (1ULL << 32); }

    // The narrow draw from one word x (W < 2^32): the target, or kRejected when either 32-bit
    // Lemire half rejects the word. Pure, so words can be drawn ahead in batches.
    static constexpr std::uint32_t kRejected = 0xFFFFFFFFu;
    std::uint32_t from_word(std::uint64_t x) const {
        const std::uint64_t mb = (x >> 32) * packed_.size(), mu = (x & 0xFFFFFFFFULL) * total_;
        const std::uint32_t bad = 0u - static_cast<std::uint32_t>(static_cast<std::uint32_t>(mb) < reject_bucket_ ||
                                                                  static_cast<std::uint32_t>(mu) < reject_u_);
        const auto b = static_cast<std::uint32_t>(mb >> 32) & ~bad;  // bucket 0 stands in for a rejected word
        const std::uint64_t bucket = packed_[b];
        const std::uint32_t keep = 0u - static_cast<std::uint32_t>((mu >> 32) < (bucket >> 32));
        return ((b & keep) | (static_cast<std::uint32_t>(bucket) & ~keep)) | bad;
    }

    std::uint32_t draw(WideDraws& draws) const {
        if (total_ < (1ULL << 32)) {
            // One word for both: the high half picks the bucket, the low half u, each by 32-bit
            // Lemire; if either half would be biased the whole word is discarded. Thresholds
            // then fit 32 bits, so a bucket packs into one word (the table stays in L1).
            const auto n = static_cast<std::uint64_t>(packed_.size());
            for (;;) {
                const std::uint64_t x = draws.next();
                const std::uint64_t mb = (x >> 32) * n, mu = (x & 0xFFFFFFFFULL) * total_;
                if (static_cast<std::uint32_t>(mb) < reject_bucket_ || static_cast<std::uint32_t>(mu) < reject_u_) continue;
                const auto b = static_cast<std::uint32_t>(mb >> 32);
                const std::uint64_t bucket = packed_[b];
                // Keep b or take its alias: a coin flip no predictor can guess, so no branch.
                const std::uint32_t keep = 0u - static_cast<std::uint32_t>((mu >> 32) < (bucket >> 32));
                return (b & keep) | (static_cast<std::uint32_t>(bucket) & ~keep);
            }
        }
        const auto b = static_cast<std::uint32_t>(draws.lemire(size()));
        const std::uint64_t u = draws.lemire(total_);
        const Bucket& bucket = buckets_[b];
        const std::uint32_t keep = 0u - static_cast<std::uint32_t>(u < bucket.threshold);
        return (b & keep) | (bucket.alias & ~keep);
    }

private:
    std::uint64_t total_ = 0;
    std::uint32_t reject_bucket_ = 0, reject_u_ = 0;  // 2^32 mod E and 2^32 mod W (32-bit Lemire)
    struct Bucket {  // one cache access per draw
        std::uint64_t threshold;
        std::uint32_t alias;
    };
    std::vector<Bucket> buckets_;
    std::vector<std::uint64_t> packed_;  // threshold << 32 | alias, when W < 2^32
};

}  // namespace phase_router

#include "common/permutation.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "common/cancellation.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

namespace {

// Number of bits b with 2^b >= n (n >= 2).
unsigned ceil_log2(std::uint32_t n) {
    unsigned b = 0;
    while ((std::uint64_t{1} << b) < n) ++b;
    return b;
}

}  // namespace

std::vector<std::uint32_t> keyed_permutation(std::uint64_t key, std::uint32_t n) {
    if (n <= 1) return identity_permutation(n);
    // Keys are uniform on uint64, so bucketing by their top bits into ~n buckets leaves about one
    // key per bucket; a counting pass plus insertion sorts inside buckets is an exact sort in
    // expected linear time.
    const unsigned bits = ceil_log2(n);
    const unsigned shift = 64 - bits;
    const std::size_t buckets = std::size_t{1} << bits;

    std::vector<std::uint64_t> keys(n);
    // n reaches 2^31 (seconds of work), so each pass polls for cancellation.
    for (std::uint32_t c = 0; c < n; ++c) {
        poll_cancel(c);
        keys[c] = splitmix(key, c);
    }

    std::vector<std::uint32_t> start(buckets + 1, 0);
    for (std::uint32_t c = 0; c < n; ++c) ++start[(keys[c] >> shift) + 1];
    for (std::size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];

    std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted(n);
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::uint32_t c = 0; c < n; ++c) {
            poll_cancel(c);
            sorted[fill[keys[c] >> shift]++] = {keys[c], c};
        }
    }
    for (std::size_t b = 0; b < buckets; ++b) {
        poll_cancel(b);
        for (std::uint32_t x = start[b] + 1; x < start[b + 1]; ++x) {
            const auto item = sorted[x];
            std::uint32_t y = x;
            while (y > start[b] && sorted[y - 1].first > item.first) {
                sorted[y] = sorted[y - 1];
                --y;
            }
            sorted[y] = item;
        }
    }

    std::vector<std::uint32_t> perm(n);
    for (std::uint32_t r = 0; r < n; ++r) perm[r] = sorted[r].second;
    return perm;
}

std::vector<std::uint32_t> keyed_permutation_slice(std::uint64_t key, std::uint32_t n, std::uint32_t begin,
                                                   std::uint32_t end) {
    if (begin > end || end > n) throw std::invalid_argument("slice outside [0, n]");
    if (begin == end) return {};
    // One pass counts the keys per bucket of their top 16 bits; the buckets holding ranks
    // [begin, end) are then collected in a second pass and sorted exactly (ties cannot occur:
    // SplitMix64 is a bijection).
    constexpr unsigned kBits = 16;
    std::vector<std::uint64_t> count(std::size_t{1} << kBits, 0);
    for (std::uint32_t c = 0; c < n; ++c) {
        poll_cancel(c);
        ++count[splitmix(key, c) >> (64 - kBits)];
    }
    std::uint64_t before = 0;  // keys in the buckets below `low`
    std::size_t low = 0;
    while (before + count[low] <= begin) before += count[low++];
    std::size_t high = low;  // the last bucket needed
    for (std::uint64_t reached = before + count[low]; reached < end;) reached += count[++high];
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> index;
    for (std::uint32_t c = 0; c < n; ++c) {
        poll_cancel(c);
        const std::uint64_t k = splitmix(key, c);
        const std::size_t bucket = k >> (64 - kBits);
        if (bucket < low || bucket > high) continue;
        keys.push_back(k);
        index.push_back(c);
    }
    std::vector<std::uint32_t> order(keys.size());
    for (std::uint32_t x = 0; x < order.size(); ++x) order[x] = x;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    std::vector<std::uint32_t> slice(end - begin);
    for (std::uint32_t r = begin; r < end; ++r) slice[r - begin] = index[order[r - before]];
    return slice;
}

std::vector<std::uint32_t> inverse_permutation(const std::vector<std::uint32_t>& perm) {
    std::vector<std::uint32_t> inverse(perm.size());
    for (std::size_t r = 0; r < perm.size(); ++r) inverse[perm[r]] = static_cast<std::uint32_t>(r);
    return inverse;
}

std::vector<std::uint32_t> identity_permutation(std::uint32_t n) {
    std::vector<std::uint32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0u);
    return perm;
}

}  // namespace phase_router

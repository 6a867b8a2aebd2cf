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
    // key per bucket: after a counting pass places each key in its bucket, one insertion-sort
    // pass over the whole array finishes an exact sort in expected linear time. An entry is one
    // word, the key's high half over the index; the bucket bits lead the high half, so an entry
    // never moves past another bucket's. Equal high halves (one pair in about 2^32 / n
    // permutations of this size) are ordered by their whole keys.
    const unsigned bits = ceil_log2(n);
    const unsigned shift = 64 - bits;
    const std::size_t buckets = std::size_t{1} << bits;

    std::vector<std::uint64_t> keys(n);
    // end[b + 1] counts bucket b's keys, then (prefix sums) ends bucket b.
    std::vector<std::uint32_t> end(buckets + 1, 0);
    // n reaches 2^31 (seconds of work), so each pass polls for cancellation.
    for (std::uint32_t c = 0; c < n; ++c) {
        poll_cancel(c);
        keys[c] = splitmix(key, c);
        ++end[(keys[c] >> shift) + 1];
    }
    for (std::size_t b = 0; b < buckets; ++b) end[b + 1] += end[b];

    // Filling bucket b advances end[b] from its start to its end.
    std::vector<std::uint64_t> entries(n);
    for (std::uint32_t c = 0; c < n; ++c) {
        poll_cancel(c);
        entries[end[keys[c] >> shift]++] = (keys[c] & 0xFFFFFFFF00000000ULL) | c;
    }
    const auto before = [&keys](std::uint64_t a, std::uint64_t b) {
        if ((a >> 32) != (b >> 32)) return a < b;
        return keys[static_cast<std::uint32_t>(a)] < keys[static_cast<std::uint32_t>(b)];
    };
    for (std::uint32_t x = 1; x < n; ++x) {
        poll_cancel(x);
        const std::uint64_t item = entries[x];
        if (item > entries[x - 1] && (item >> 32) != (entries[x - 1] >> 32)) continue;  // in place
        std::uint32_t y = x;
        while (y > 0 && before(item, entries[y - 1])) {
            entries[y] = entries[y - 1];
            --y;
        }
        entries[y] = item;
    }

    std::vector<std::uint32_t> perm(n);
    for (std::uint32_t r = 0; r < n; ++r) perm[r] = static_cast<std::uint32_t>(entries[r]);
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

#include "common/permutation.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "common/cancellation.hpp"
#include "common/scratch_pool.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

namespace {

// Number of bits b with 2^b >= n (n >= 1).
unsigned ceil_log2(std::uint32_t n) {
    unsigned b = 0;
    while ((std::uint64_t{1} << b) < n) ++b;
    return b;
}

// One word per key: its high half over its index. Two such words order as their keys do,
// except when the high halves tie.
std::uint64_t entry_of(std::uint64_t key_value, std::uint32_t index) {
    return (key_value & 0xFFFFFFFF00000000ULL) | index;
}

// Sorts the m entries entry(0 .. m-1) by key, writing their indices to perm[0, m). The entries
// share their first `top` key bits; the next bits bucket them, into about 2^spare_bits buckets
// per entry (end counts, then ends, each bucket; kept by the caller, as is `sorted`), and one
// insertion pass finishes the sort: a bucket's bits lead each entry's high half, so no entry
// moves past another bucket's, and equal high halves (one pair in about 2^32 / n permutations
// of n keys) are ordered by their whole keys, computed again from `key`.
template <class Entry>
void sort_entries(const Entry& entry, std::uint32_t m, unsigned top, unsigned spare_bits,
                  std::uint64_t key, std::vector<std::uint32_t>& end,
                  std::vector<std::uint64_t>& sorted, std::uint32_t* perm) {
    const unsigned bits = std::max(1u, std::min(ceil_log2(m) + spare_bits, 32 - top));
    const unsigned shift = 32 - bits;
    const auto bucket = [top, shift](std::uint64_t entry) {
        return static_cast<std::uint32_t>(static_cast<std::uint32_t>(entry >> 32) << top) >> shift;
    };
    end.assign((std::size_t{1} << bits) + 1, 0);
    for (std::uint32_t x = 0; x < m; ++x) {
        poll_cancel(x);
        ++end[bucket(entry(x)) + 1];
    }
    for (std::size_t b = 0; b + 1 < end.size(); ++b) end[b + 1] += end[b];
    sorted.resize(m);
    for (std::uint32_t x = 0; x < m; ++x) {
        poll_cancel(x);
        const std::uint64_t e = entry(x);
        sorted[end[bucket(e)]++] = e;  // end[b] moves from bucket b's start to its end
    }
    const auto before = [key](std::uint64_t a, std::uint64_t b) {
        if ((a >> 32) != (b >> 32)) return a < b;
        return splitmix(key, static_cast<std::uint32_t>(a)) < splitmix(key, static_cast<std::uint32_t>(b));
    };
    for (std::uint32_t x = 1; x < m; ++x) {
        poll_cancel(x);
        const std::uint64_t item = sorted[x];
        if (item > sorted[x - 1] && (item >> 32) != (sorted[x - 1] >> 32)) continue;  // in place
        std::uint32_t y = x;
        while (y > 0 && before(item, sorted[y - 1])) {
            sorted[y] = sorted[y - 1];
            --y;
        }
        sorted[y] = item;
    }
    for (std::uint32_t x = 0; x < m; ++x) perm[x] = static_cast<std::uint32_t>(sorted[x]);
}

}  // namespace

std::vector<std::uint32_t> keyed_permutation(std::uint64_t key, std::uint32_t n) {
    if (n <= 1) return identity_permutation(n);
    // Keys are uniform on uint64, so bucketing by their leading bits leaves about one key per
    // bucket, and a counting pass plus one insertion pass is an exact sort in expected linear
    // time. Beyond 2^16 keys the buckets' counters and the scattered entries outgrow the
    // caches, so a first pass splits the keys by their leading `top` bits into groups of about
    // 2^12, each then sorted within the caches.
    const unsigned bits = ceil_log2(n);
    const unsigned top = bits > 16 ? std::min(bits - 12, 12u) : 0;
    const std::size_t groups = std::size_t{1} << top;

    // The keys are not stored: a key costs less to compute again than to write and read back
    // (8 bytes each, a page fault per 512 of them on a fresh array), and each pass needs it once.
    std::vector<std::uint32_t> perm(n);
    std::vector<std::uint32_t> end;
    std::vector<std::uint64_t> sorted;
    if (top == 0) {
        // One group, in the caches already: one bucket per key, as few bytes as possible.
        sort_entries([key](std::uint32_t c) { return entry_of(splitmix(key, c), c); }, n, 0, 0, key, end, sorted,
                     perm.data());
        return perm;
    }
    std::vector<std::uint32_t> start(groups + 1, 0);  // group g is entries[start[g], start[g + 1])
    // n reaches 2^31 (seconds of work), so each pass polls for cancellation.
    for (std::uint32_t c = 0; c < n; ++c) {
        poll_cancel(c);
        ++start[(splitmix(key, c) >> (64 - top)) + 1];
    }
    for (std::size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
    ScratchWords entries(n);  // every entry written below
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::uint32_t c = 0; c < n; ++c) {
            poll_cancel(c);
            const std::uint64_t k = splitmix(key, c);
            entries.data()[fill[k >> (64 - top)]++] = entry_of(k, c);
        }
    }
    // A group's counters fit the caches even at two buckets per key, which leaves fewer keys
    // sharing a bucket for the insertion pass to order.
    for (std::size_t g = 0; g < groups; ++g) {
        const std::uint64_t* group = entries.data() + start[g];
        const std::uint32_t count = start[g + 1] - start[g];
        if (count != 0) {
            sort_entries([group](std::uint32_t x) { return group[x]; }, count, top, 1, key, end, sorted,
                         perm.data() + start[g]);
        }
    }
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

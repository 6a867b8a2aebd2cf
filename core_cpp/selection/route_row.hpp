// One row of a routing as the balanced policy edits it: its targets ascending, then -1 padding.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

namespace phase_router {

// Read as unsigned, the -1 padding (2^32 - 1) sorts after every target.
inline const std::uint32_t* unsigned_row(const std::int32_t* row) {
    return reinterpret_cast<const std::uint32_t*>(row);
}

inline std::uint32_t route_count(const std::int32_t* row, std::uint32_t k) {
    const std::uint32_t* r = unsigned_row(row);
    return static_cast<std::uint32_t>(std::lower_bound(r, r + k, 0xFFFFFFFFu) - r);
}

// Replaces `from` by `to` in an ascending list of n distinct values, keeping it ascending.
template <class T>
void replace_sorted(T* list, std::uint32_t n, T from, T to) {
    std::uint32_t x = 0;
    while (list[x] != from) ++x;
    // Slide neighbours over the gap until `to` fits.
    while (x + 1 < n && list[x + 1] < to) {
        list[x] = list[x + 1];
        ++x;
    }
    while (x > 0 && list[x - 1] > to) {
        list[x] = list[x - 1];
        --x;
    }
    list[x] = to;
}

// An ascending list of n distinct values loses `out` (ascending, all in the list) and gains `in`
// (ascending, none in it; as many as `out`), staying ascending; one merge through `scratch`.
template <class T>
void exchange_sorted(T* list, std::uint32_t n, const std::vector<T>& out, const std::vector<T>& in,
                     std::vector<T>& scratch) {
    scratch.clear();
    std::size_t o = 0, q = 0;
    for (std::uint32_t x = 0; x < n; ++x) {
        if (o < out.size() && list[x] == out[o]) {
            ++o;
            continue;
        }
        while (q < in.size() && in[q] < list[x]) scratch.push_back(in[q++]);
        scratch.push_back(list[x]);
    }
    while (q < in.size()) scratch.push_back(in[q++]);
    std::copy(scratch.begin(), scratch.end(), list);
}

}  // namespace phase_router

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

// Replaces `from` by `to` in an ascending list of n distinct values, keeping it ascending: both
// places found by binary search, the values between them moved over by one.
template <class T>
void replace_sorted(T* list, std::uint32_t n, T from, T to) {
    T* const end = list + n;
    T* const at = std::lower_bound(list, end, from);
    if (to > from) {
        T* const past = std::lower_bound(at + 1, end, to);  // the values between move down
        std::copy(at + 1, past, at);
        *(past - 1) = to;
    } else {
        T* const first = std::lower_bound(list, at, to);  // the values between move up
        std::copy_backward(first, at, at + 1);
        *first = to;
    }
}

// An ascending list of n distinct values loses `out` (ascending, all in the list) and gains `in`
// (ascending, none in it; as many as `out`), staying ascending. In place, in two passes: the
// values of `out` leave and the runs between them close up, front to back; then each value of
// `in`, largest first, opens its gap, back to front. Every value moves at most twice. Few moves
// in a long list find their places by binary search and move whole runs (a memmove, not a pass
// over the list); many moves go through the list once, comparing as they go, which costs less
// than their binary searches.
template <class T>
void exchange_sorted(T* list, std::uint32_t n, const std::vector<T>& out, const std::vector<T>& in) {
    const std::size_t p = out.size();
    if (p == 0) return;
    if (p <= 2) {  // one or two moves: each moves only the values between its two places
        for (std::size_t x = 0; x < p; ++x) replace_sorted(list, n, out[x], in[x]);
        return;
    }
    std::size_t log_n = 1;
    while ((std::size_t{1} << log_n) < n) ++log_n;
    const bool search = 2 * p * log_n < n;
    T* end = list + n;
    T* write = std::lower_bound(list, end, out[0]);
    if (search) {
        T* from = write;
        for (std::size_t o = 0; o < p; ++o) {
            from = std::lower_bound(from, end, out[o]) + 1;  // just past out[o]
            T* next = o + 1 < p ? std::lower_bound(from, end, out[o + 1]) : end;
            write = std::copy(from, next, write);
            from = next;
        }
    } else {
        std::size_t o = 0;
        for (T* read = write; read < end; ++read) {
            const bool leaves = o < p && *read == out[o];
            *write = *read;
            write += leaves ? 0 : 1;
            o += leaves ? 1 : 0;
        }
    }
    // list[0, n - p) now holds the kept values; the gaps open from the back.
    T* kept_end = list + (n - p);
    if (search) {
        for (std::size_t q = p; q-- > 0;) {
            T* at = std::lower_bound(list, kept_end, in[q]);
            std::copy_backward(at, kept_end, kept_end + q + 1);
            at[q] = in[q];
            kept_end = at;
        }
    } else {
        T* to = end;
        for (std::size_t q = p; q > 0;) {
            if (kept_end > list && *(kept_end - 1) > in[q - 1]) *--to = *--kept_end;
            else *--to = in[--q];
        }
    }
}

}  // namespace phase_router

#include "degrees/dense_row_degrees.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "degrees/element_rules.hpp"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define PHASE_ROUTER_DENSE_SSE2 1
#endif

namespace phase_router {
namespace {

// Elements p[0], p[stride], ... (n of them).
template <class U, class Rule>
std::uint64_t count_strided(const std::uint8_t* p, std::uint64_t n, std::int64_t stride, U& bad) {
    std::uint64_t count = 0;
    U b = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const U v = load<U>(p + static_cast<std::int64_t>(i) * stride);
        count += Rule::one(v);
        b |= Rule::bad(v);
    }
    bad |= b;
    return count;
}

// The same on adjacent elements: a separate loop so the compiler sees the constant stride.
template <class U, class Rule>
std::uint64_t count_contiguous(const std::uint8_t* p, std::uint64_t n, U& bad) {
    std::uint64_t count = 0;
    U b = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const U v = load<U>(p + i * sizeof(U));
        count += Rule::one(v);
        b |= Rule::bad(v);
    }
    bad |= b;
    return count;
}

#ifdef PHASE_ROUTER_DENSE_SSE2
// Integer and bool rows as bytes: a valid little-endian integer of width w has its low byte in
// {0, 1} and its other bytes 0, so `bytes & pattern` (0xFE on low bytes, 0xFF elsewhere) is zero
// exactly when the row is valid, and then the row's ones are the sum of its bytes (psadbw).
// Bools are clamped to 0/1 first (NumPy counts any nonzero byte as True). Baseline SSE2 is enough
// to keep up with memory: one load, and, or, psadbw, add per 16 bytes.
template <class U, bool Clamp>
std::uint64_t count_bytes_sse2(const std::uint8_t* p, std::uint64_t n_items, U& bad) {
    alignas(16) std::uint8_t pattern[16];
    for (unsigned i = 0; i < 16; ++i) pattern[i] = Clamp ? 0 : (i % sizeof(U) == 0 ? 0xFE : 0xFF);
    const std::uint64_t n = n_items * sizeof(U);
    const __m128i mask = _mm_load_si128(reinterpret_cast<const __m128i*>(pattern));
    const __m128i zero = _mm_setzero_si128();
    const __m128i ones = _mm_set1_epi8(1);
    __m128i sum0 = zero, sum1 = zero, bad_bits = zero;
    std::uint64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
        if (Clamp) {
            a = _mm_min_epu8(a, ones);
            b = _mm_min_epu8(b, ones);
        } else {
            bad_bits = _mm_or_si128(bad_bits, _mm_or_si128(_mm_and_si128(a, mask), _mm_and_si128(b, mask)));
        }
        sum0 = _mm_add_epi64(sum0, _mm_sad_epu8(a, zero));
        sum1 = _mm_add_epi64(sum1, _mm_sad_epu8(b, zero));
    }
    const __m128i sum = _mm_add_epi64(sum0, sum1);
    alignas(16) std::uint64_t lanes[2];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), sum);
    std::uint64_t count = lanes[0] + lanes[1];
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad_bits, zero)) != 0xFFFF) bad |= 1;
    // The tail starts on an element boundary (32 is a multiple of every width).
    const std::uint64_t done = i / sizeof(U);
    if (Clamp)
        count += count_contiguous<U, BooleanRule<U>>(p + i, n_items - done, bad);
    else
        count += count_contiguous<U, IntegerRule<U>>(p + i, n_items - done, bad);
    return count;
}
#endif

// Contiguous rows (col_stride == item size, any row stride).
template <class U, class Rule>
std::uint64_t count_row(const std::uint8_t* row, std::uint64_t cols, U& bad) {
#ifdef PHASE_ROUTER_DENSE_SSE2
    if (std::is_same<Rule, BooleanRule<U>>::value) return count_bytes_sse2<U, true>(row, cols, bad);
    if (std::is_same<Rule, IntegerRule<U>>::value) return count_bytes_sse2<U, false>(row, cols, bad);
#endif
    return count_contiguous<U, Rule>(row, cols, bad);
}

// Column-major (Fortran) layout: each column's elements for a block of rows are adjacent, so the
// pass walks columns and adds into per-row counters that stay in L1, never gathering a row. The
// counters are as narrow as the elements (8 bits for byte elements, else 16: more lanes per
// vector add) and are emptied into 32-bit totals before a valid row could overflow them.
template <class U, class Rule>
void count_columns(const DenseMatrix& m, std::uint64_t r_begin, std::uint64_t r_end, std::uint32_t* out, U& bad) {
    using Counter = typename std::conditional<sizeof(U) == 1, std::uint8_t, std::uint16_t>::type;
    // 16 KiB of counters: long runs down each column for the prefetcher, still inside L1.
    constexpr std::uint64_t block = 16384 / sizeof(Counter), flush_every = std::numeric_limits<Counter>::max();
    Counter acc[block];
    std::uint32_t total[block];
    for (std::uint64_t rb = r_begin; rb < r_end; rb += block) {
        const std::uint64_t n = std::min(block, r_end - rb);
        std::fill(total, total + n, 0u);
        U b = 0;
        for (std::uint64_t c0 = 0; c0 < m.cols; c0 += flush_every) {
            std::fill(acc, acc + n, Counter{0});
            const std::uint64_t c1 = std::min(m.cols, c0 + flush_every);
            for (std::uint64_t c = c0; c < c1; ++c) {
                poll_cancel(c);
                const std::uint8_t* p = m.origin + static_cast<std::int64_t>(c) * m.col_stride +
                                        static_cast<std::int64_t>(rb) * m.row_stride;
                for (std::uint64_t i = 0; i < n; ++i) {
                    const U v = load<U>(p + i * sizeof(U));
                    acc[i] = static_cast<Counter>(acc[i] + static_cast<Counter>(Rule::one(v)));
                    b |= Rule::bad(v);
                }
            }
            for (std::uint64_t i = 0; i < n; ++i) total[i] += acc[i];
        }
        bad |= b;
        std::copy(total, total + n, out + rb);
    }
}

template <class U, class Rule>
bool run(const DenseMatrix& m, std::uint32_t* out, int threads) {
    // One core already reads at memory speed (about 25 GB/s on the development machine), and a
    // parallel region's join waits for every thread to be scheduled, which on a busy machine
    // costs more than it saves. So by default a second thread joins only per 512 MiB of matrix;
    // an explicit thread count is taken as given.
    const std::uint64_t bytes = m.rows * m.cols * sizeof(U);
    const std::uint64_t wanted = threads > 0 ? static_cast<std::uint64_t>(threads) : std::max<std::uint64_t>(1, bytes >> 29);
    const int parts = static_cast<int>(std::min<std::uint64_t>({wanted, static_cast<std::uint64_t>(thread_count(threads)),
                                                                std::max<std::uint64_t>(1, m.rows)}));
    const bool rows_contiguous = m.col_stride == static_cast<std::int64_t>(sizeof(U));
    const bool columns_contiguous = !rows_contiguous && m.row_stride == static_cast<std::int64_t>(sizeof(U));
    U any_bad = 0;
    const auto body = [&](int part, int actual) {
        const std::uint64_t r_begin = part_begin(m.rows, part, actual), r_end = part_begin(m.rows, part + 1, actual);
        U bad = 0;
        if (columns_contiguous) {
            count_columns<U, Rule>(m, r_begin, r_end, out, bad);
        } else {
            for (std::uint64_t r = r_begin; r < r_end; ++r) {
                poll_cancel(r - r_begin);
                const std::uint8_t* row = m.origin + static_cast<std::int64_t>(r) * m.row_stride;
                const std::uint64_t count = rows_contiguous ? count_row<U, Rule>(row, m.cols, bad)
                                                            : count_strided<U, Rule>(row, m.cols, m.col_stride, bad);
                out[r] = static_cast<std::uint32_t>(count);
            }
        }
        if (bad) {
#ifdef PHASE_ROUTER_OPENMP
#pragma omp atomic write
#endif
            any_bad = 1;
        }
    };
    if (parts == 1)
        body(0, 1);  // no parallel region: callers that run their own threads count on them
    else
        run_parallel(parts, body);
    return any_bad == 0;
}

}  // namespace

bool dense_row_degrees(const DenseMatrix& m, std::uint32_t* out, int threads) {
    if (m.rows == 0 || m.cols == 0) {
        std::fill(out, out + m.rows, 0u);
        return true;
    }
    return with_rule(m.kind, m.item_size, [&](auto tag) {
        using Tag = decltype(tag);
        return run<typename Tag::Item, typename Tag::Rule>(m, out, threads);
    });
}

}  // namespace phase_router

#include "degrees/dense_row_degrees.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "degrees/byte_count.hpp"
#include "degrees/element_rules.hpp"

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
    // Bool and integer rows are read as bytes by the CPU path's kernels (byte_count.hpp).
    const ByteCountKernels& byte_kernels = byte_count_kernels();
    constexpr bool boolean = std::is_same<Rule, BooleanRule<U>>::value;
    constexpr bool by_bytes = boolean || std::is_same<Rule, IntegerRule<U>>::value;
    U any_bad = 0;
    const auto body = [&](int part, int actual) {
        const std::uint64_t r_begin = part_begin(m.rows, part, actual), r_end = part_begin(m.rows, part + 1, actual);
        U bad = 0;
        if (columns_contiguous) {
            count_columns<U, Rule>(m, r_begin, r_end, out, bad);
        } else if (rows_contiguous && by_bytes) {
            bool rows_bad = false;
            byte_kernels.count_rows(m.origin + static_cast<std::int64_t>(r_begin) * m.row_stride, r_end - r_begin,
                                    m.row_stride, m.cols * sizeof(U), sizeof(U), boolean, out + r_begin, rows_bad);
            if (rows_bad) bad |= 1;
        } else {
            for (std::uint64_t r = r_begin; r < r_end; ++r) {
                poll_cancel(r - r_begin);
                const std::uint8_t* row = m.origin + static_cast<std::int64_t>(r) * m.row_stride;
                const std::uint64_t count = rows_contiguous ? count_contiguous<U, Rule>(row, m.cols, bad)
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

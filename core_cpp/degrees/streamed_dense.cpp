#include "degrees/streamed_dense.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "degrees/dense_to_bool.hpp"
#include "degrees/element_rules.hpp"

namespace phase_router {
namespace {

// A worker's buffer, left uninitialised (a read fills it) and page-aligned, so the kernel's copy
// into it and the vector loads over it start on aligned addresses.
class ChunkBuffer {
public:
    static constexpr std::uintptr_t kAlign = 4096;

    explicit ChunkBuffer(std::uint64_t bytes)
        : storage_(bytes == 0 ? nullptr : new std::uint8_t[static_cast<std::size_t>(bytes) + kAlign]) {}

    std::uint8_t* data() const {
        const auto at = reinterpret_cast<std::uintptr_t>(storage_.get());
        return reinterpret_cast<std::uint8_t*>((at + kAlign - 1) & ~(kAlign - 1));
    }

private:
    std::unique_ptr<std::uint8_t[]> storage_;
};

StreamResult failed_read(int code) {
    if (code == ByteSource::kEnded) return {StreamStatus::ended, 0};
    return {StreamStatus::read_error, code};
}

StreamResult checked(bool binary) { return binary ? StreamResult{} : StreamResult{StreamStatus::not_binary, 0}; }

// Runs work(chunk, buffer) for chunks 0..chunks-1 on up to `threads` workers, each with its own
// buffer of buffer_bytes. Workers take the next chunk as they finish one, so a worker that is
// descheduled on a busy machine delays the others by the chunk it holds, not by a fixed share of
// the rows (the parallel region still ends only once every worker has run); they stop taking
// chunks past a failed one.
template <class Work>
StreamResult for_each_chunk(std::uint64_t chunks, std::uint64_t buffer_bytes, int threads, Work work) {
    constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
    std::atomic<std::uint64_t> next{0}, failed_at{kNone};
    std::mutex failure_mutex;
    StreamResult failure;
    const auto body = [&](int, int) {
        const ChunkBuffer buffer(buffer_bytes);
        for (;;) {
            const std::uint64_t chunk = next.fetch_add(1);
            if (chunk >= chunks || chunk > failed_at.load()) return;
            throw_if_cancelled();
            const StreamResult result = work(chunk, buffer.data());
            if (result.status != StreamStatus::ok) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (chunk < failed_at.load()) {
                    failed_at.store(chunk);
                    failure = result;
                }
                return;
            }
        }
    };
    const auto workers = static_cast<std::uint64_t>(thread_count(threads));
    const auto parts = static_cast<int>(std::min(workers, chunks));
    if (parts <= 1)
        body(0, 1);  // no parallel region for one worker
    else
        run_parallel(parts, body);
    return failure;
}

void check_kind(const StreamedMatrix& m) {
    with_rule(m.kind, m.item_size, [](auto) { return 0; });  // throws for a kind / size it cannot read
}

}  // namespace

StreamResult streamed_row_degrees(const ByteSource& source, const StreamedMatrix& m, std::uint64_t chunk_bytes,
                                  std::uint32_t* out, int threads) {
    check_kind(m);
    if (m.rows == 0) return {};
    if (m.cols == 0) {
        std::fill(out, out + m.rows, 0u);
        return {};
    }
    const std::uint64_t item = m.item_size, row_bytes = m.cols * item;
    chunk_bytes = std::max(chunk_bytes, item);
    if (row_bytes <= chunk_bytes) {  // chunks of whole rows
        const std::uint64_t per_chunk = chunk_bytes / row_bytes;
        const std::uint64_t chunks = (m.rows + per_chunk - 1) / per_chunk;
        return for_each_chunk(chunks, std::min(per_chunk, m.rows) * row_bytes, threads,
                              [&](std::uint64_t chunk, std::uint8_t* buffer) {
                                  const std::uint64_t first = chunk * per_chunk;
                                  const std::uint64_t rows = std::min(per_chunk, m.rows - first);
                                  if (const int code = source.read(buffer, rows * row_bytes, first * row_bytes))
                                      return failed_read(code);
                                  const DenseMatrix block{buffer, rows, m.cols, static_cast<std::int64_t>(row_bytes),
                                                          static_cast<std::int64_t>(item), m.item_size, m.kind};
                                  return checked(dense_row_degrees(block, out + first, 1));
                              });
    }
    // Rows longer than a chunk: a worker takes a whole row and reads it in pieces.
    const std::uint64_t piece_items = chunk_bytes / item;
    return for_each_chunk(m.rows, piece_items * item, threads, [&](std::uint64_t row, std::uint8_t* buffer) {
        std::uint64_t ones = 0;
        for (std::uint64_t column = 0; column < m.cols; column += piece_items) {
            throw_if_cancelled();
            const std::uint64_t count = std::min(piece_items, m.cols - column);
            if (const int code = source.read(buffer, count * item, row * row_bytes + column * item))
                return failed_read(code);
            const DenseMatrix piece{buffer, 1, count, static_cast<std::int64_t>(count * item),
                                    static_cast<std::int64_t>(item), m.item_size, m.kind};
            std::uint32_t piece_ones = 0;
            if (!dense_row_degrees(piece, &piece_ones, 1)) return checked(false);
            ones += piece_ones;
        }
        out[row] = static_cast<std::uint32_t>(ones);
        return StreamResult{};
    });
}

StreamResult streamed_bool_matrix(const ByteSource& source, const StreamedMatrix& m, std::uint64_t chunk_bytes,
                                  std::uint8_t* out, int threads) {
    check_kind(m);
    const std::uint64_t items = m.rows * m.cols, item = m.item_size;
    if (items == 0) return {};
    // Chunks of elements, whatever the rows: the result is the data's own layout, one byte each.
    const std::uint64_t per_chunk = std::max<std::uint64_t>(1, chunk_bytes / item);
    const std::uint64_t chunks = (items + per_chunk - 1) / per_chunk;
    const bool in_place = item == 1;
    return for_each_chunk(chunks, in_place ? 0 : std::min(per_chunk, items) * item, threads,
                          [&](std::uint64_t chunk, std::uint8_t* buffer) {
                              const std::uint64_t first = chunk * per_chunk, count = std::min(per_chunk, items - first);
                              std::uint8_t* into = in_place ? out + first : buffer;
                              if (const int code = source.read(into, count * item, first * item))
                                  return failed_read(code);
                              return checked(dense_to_bool(into, count, m.item_size, m.kind, out + first));
                          });
}

}  // namespace phase_router

// A C-ordered dense 0/1 matrix streamed from a byte source (a file read with positional reads,
// never memory-mapped: a file truncated under a map turns the next access into SIGBUS) in chunks
// of bounded size: its row degrees, or the matrix itself as bool bytes. A few threads each take
// the next chunk, read it and process it at once, while it is still in their cache, so the copy a
// read makes costs little more than the pass over the data that a map would have needed anyway.
#pragma once
#include <cstdint>

#include "degrees/dense_row_degrees.hpp"

namespace phase_router {

// Where the matrix's bytes come from. read() is called from several threads at once.
class ByteSource {
public:
    static constexpr int kEnded = -1;

    virtual ~ByteSource() = default;
    // Fills into[0, bytes) with the data's bytes from `offset` on. Returns 0; kEnded when the
    // source ends first (a file that shrank); or an errno value.
    virtual int read(std::uint8_t* into, std::uint64_t bytes, std::uint64_t offset) const = 0;
};

struct StreamedMatrix {
    std::uint64_t rows, cols;
    unsigned item_size;
    ElementKind kind;
};

enum class StreamStatus : int {
    ok = 0,
    not_binary = 1,  // some element is not 0/1 (the caller finds and names it on its slow path)
    ended = 2,       // the source ended early
    read_error = 3,  // `error` holds the errno value
};

// The first failure in data order: chunks are claimed in order and every chunk before a failed
// one is still finished, so which failure is reported does not depend on the threads.
struct StreamResult {
    StreamStatus status = StreamStatus::ok;
    int error = 0;
};

// Ones per row into out[0..rows). Chunks hold whole rows, at most chunk_bytes of them; a row
// longer than that is read in pieces of at most chunk_bytes, so no buffer is ever larger.
StreamResult streamed_row_degrees(const ByteSource& source, const StreamedMatrix& matrix, std::uint64_t chunk_bytes,
                                  std::uint32_t* out, int threads);

// The matrix as rows * cols bool bytes into out. One-byte elements are read straight into out
// and checked there; wider ones go through a buffer of at most chunk_bytes per thread.
StreamResult streamed_bool_matrix(const ByteSource& source, const StreamedMatrix& matrix, std::uint64_t chunk_bytes,
                                  std::uint8_t* out, int threads);

}  // namespace phase_router

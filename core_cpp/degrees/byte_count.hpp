// The dense pass's inner loops on bool and integer elements read as bytes: a valid little-endian
// integer of width w has its low byte in {0, 1} and its other bytes 0, so a row is valid exactly
// when no byte has a bit of its position's pattern set (0xFE on low bytes, 0xFF elsewhere), and
// then its ones are the sum of its bytes. byte_count_paths.cpp compiles them once per CPU path;
// byte_count_kernels() hands out the path chosen at load (common/cpu_path.hpp). Every path gives
// the same sums and verdicts. The wider paths matter most on data just read into a buffer, where
// the pass runs from cache rather than at memory speed.
#pragma once
#include <cstdint>

#include "common/cpu_path.hpp"

namespace phase_router {

struct ByteCountKernels {
    // out[r] = the sum of the row_bytes bytes of row r (at p + r * row_stride), each byte taken as
    // 0/1 (nonzero is one) when `clamp` (bools). Unless `clamp`, sets `bad` when a byte breaks the
    // pattern of `width` (1, 2, 4 or 8); row_bytes is a multiple of width. Polls the cancel flag.
    void (*count_rows)(const std::uint8_t* p, std::uint64_t rows, std::int64_t row_stride, std::uint64_t row_bytes,
                       unsigned width, bool clamp, std::uint32_t* out, bool& bad);
    // Nonzero when some byte of p[0..n) is above 1.
    std::uint64_t (*high_bits)(const std::uint8_t* p, std::uint64_t n);
};

// The kernels of one path; a path not compiled in falls back to the highest compiled below it.
const ByteCountKernels& byte_count_kernels(CpuPath path);

// The kernels of active_cpu_path().
const ByteCountKernels& byte_count_kernels();

}  // namespace phase_router

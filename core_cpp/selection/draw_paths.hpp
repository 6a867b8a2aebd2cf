// The ISA-specific half of step 7 (selection/random.cpp holds the rest): Floyd's draws into a
// rank bitmap, and the walk that writes the picked candidates. draw_paths.cpp compiles the
// same source (random_kernel.inl) once per CPU path; selection_kernels() hands out the path
// chosen at load (common/cpu_path.hpp). All paths give identical bits.
#pragma once
#include <cstddef>
#include <cstdint>

#include "common/cpu_path.hpp"

namespace phase_router {

struct SelectionKernels {
    // See sample_ranks in selection/random.hpp.
    void (*sample_ranks)(std::uint64_t row_key, std::uint32_t n, std::uint32_t count, std::uint8_t* marks,
                         std::uint64_t* ranks);
    // Writes the candidates whose rank is marked (or, with `invert`, unmarked) in `ranks`, in
    // ascending target order, into out[0..capacity); returns how many.
    std::size_t (*emit_ranked)(const std::uint64_t* candidates, std::size_t words, const std::uint64_t* ranks,
                               bool invert, std::int32_t* out, std::size_t capacity);
    // See select_routes in selection/random.hpp (marks and ranks are its scratch's).
    std::uint32_t (*select_bitmap)(const std::uint64_t* candidates, std::size_t words, std::uint32_t candidate_count,
                                   std::uint32_t k, std::uint64_t row_key, std::uint8_t* marks, std::uint64_t* ranks,
                                   std::int32_t* out);
};

// The kernels of one path; a path not compiled in (or above what the CPU supports is the
// caller's business) falls back to the highest compiled path below it.
const SelectionKernels& selection_kernels(CpuPath path);

// The kernels of active_cpu_path().
const SelectionKernels& selection_kernels();

}  // namespace phase_router

// One translation unit, three compilations of random_kernel.inl: each inside a
// `#pragma GCC target` region, so only the kernel functions get the wider instruction sets.
// Headers (inline helpers, std templates) are included before any region and stay baseline,
// which keeps the linker from picking an AVX-512 copy of a shared inline function for code
// that runs on every CPU.
#include "selection/draw_paths.hpp"

#include <cstring>

#include "common/bitops.hpp"
#include "common/splitmix.hpp"

#include "common/kernel_paths.hpp"

#ifdef PHASE_ROUTER_X86_PATHS
#pragma GCC push_options
#pragma GCC target("popcnt,bmi,bmi2,avx2,avx512f,avx512dq,avx512bw,avx512vl,avx512cd")
#define PHASE_ROUTER_KERNEL_NS avx512_path
#define PHASE_ROUTER_KERNEL_AVX2 1
#define PHASE_ROUTER_KERNEL_AVX512 1
#include "selection/random_kernel.inl"
#undef PHASE_ROUTER_KERNEL_NS
#undef PHASE_ROUTER_KERNEL_AVX2
#undef PHASE_ROUTER_KERNEL_AVX512
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("popcnt,bmi,bmi2,avx2")
#define PHASE_ROUTER_KERNEL_NS avx2_path
#define PHASE_ROUTER_KERNEL_AVX2 1
#include "selection/random_kernel.inl"
#undef PHASE_ROUTER_KERNEL_NS
#undef PHASE_ROUTER_KERNEL_AVX2
#pragma GCC pop_options
#endif

// Baseline x86-64, or generic C++ elsewhere: no target region at all.
#define PHASE_ROUTER_KERNEL_NS baseline_path
#include "selection/random_kernel.inl"
#undef PHASE_ROUTER_KERNEL_NS

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace phase_router {

const SelectionKernels& selection_kernels(CpuPath path) {
    static const SelectionKernels baseline{&baseline_path::sample_ranks, &baseline_path::emit_ranked, &baseline_path::select_bitmap};
#ifdef PHASE_ROUTER_X86_PATHS
    static const SelectionKernels avx2{&avx2_path::sample_ranks, &avx2_path::emit_ranked, &avx2_path::select_bitmap};
    static const SelectionKernels avx512{&avx512_path::sample_ranks, &avx512_path::emit_ranked, &avx512_path::select_bitmap};
    if (path == CpuPath::kAvx512) return avx512;
    if (path == CpuPath::kAvx2) return avx2;
#else
    (void)path;
#endif
    return baseline;
}

const SelectionKernels& selection_kernels() {
    static const SelectionKernels& active = selection_kernels(active_cpu_path());
    return active;
}

}  // namespace phase_router

// One translation unit, three compilations of byte_count_kernel.inl, each inside a
// `#pragma GCC target` region (as selection/draw_paths.cpp does for step 7): headers come first
// and stay baseline, so no wide copy of a shared inline function can reach code that runs on
// every CPU.
#include "degrees/byte_count.hpp"

#include <cstdint>
#include <cstring>

#include "common/cancellation.hpp"

#include "common/kernel_paths.hpp"
#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define PHASE_ROUTER_BASELINE_SSE2 1
#endif

#ifdef PHASE_ROUTER_X86_PATHS
#pragma GCC push_options
#pragma GCC target("popcnt,bmi,bmi2,avx2,avx512f,avx512dq,avx512bw,avx512vl,avx512cd")
#define PHASE_ROUTER_KERNEL_NS avx512_path
#define PHASE_ROUTER_BYTES_VECTOR 1
#define PHASE_ROUTER_BYTES_AVX512 1
#include "degrees/byte_count_kernel.inl"
#undef PHASE_ROUTER_KERNEL_NS
#undef PHASE_ROUTER_BYTES_VECTOR
#undef PHASE_ROUTER_BYTES_AVX512
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("popcnt,bmi,bmi2,avx2")
#define PHASE_ROUTER_KERNEL_NS avx2_path
#define PHASE_ROUTER_BYTES_VECTOR 1
#define PHASE_ROUTER_BYTES_AVX2 1
#include "degrees/byte_count_kernel.inl"
#undef PHASE_ROUTER_KERNEL_NS
#undef PHASE_ROUTER_BYTES_VECTOR
#undef PHASE_ROUTER_BYTES_AVX2
#pragma GCC pop_options
#endif

// Baseline: SSE2 on x86-64 (every x86-64 CPU has it), scalar C++ elsewhere.
#define PHASE_ROUTER_KERNEL_NS baseline_path
#ifdef PHASE_ROUTER_BASELINE_SSE2
#define PHASE_ROUTER_BYTES_VECTOR 1
#define PHASE_ROUTER_BYTES_SSE2 1
#endif
#include "degrees/byte_count_kernel.inl"
#undef PHASE_ROUTER_KERNEL_NS

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace phase_router {

const ByteCountKernels& byte_count_kernels(CpuPath path) {
#ifdef PHASE_ROUTER_X86_PATHS
    if (path == CpuPath::kAvx512) return avx512_path::kernels;
    if (path == CpuPath::kAvx2) return avx2_path::kernels;
#else
    (void)path;
#endif
    return baseline_path::kernels;
}

const ByteCountKernels& byte_count_kernels() {
    static const ByteCountKernels& active = byte_count_kernels(active_cpu_path());
    return active;
}

}  // namespace phase_router

// Which instruction-set path the ISA-specific kernels take (docs/SPEC.md: "CPU paths").
// Chosen once, when the library is first used: the best path the running CPU (and its OS)
// supports, lowered by the environment variable PHASE_ROUTER_CPU=avx512|avx2|baseline. Every
// path produces the same bits; the choice changes speed only.
#pragma once

namespace phase_router {

enum class CpuPath : int {
    kBaseline = 0,  // plain x86-64 (SSE2 only), or the generic C++ path on other architectures
    kAvx2 = 1,      // AVX2 + BMI1/BMI2 + POPCNT (Haswell and later)
    kAvx512 = 2,    // AVX-512 F/DQ/BW/VL/CD on top of the AVX2 set (Skylake-X, Zen 4 and later)
};

// "avx512", "avx2", "baseline" (x86-64) or "generic" (other architectures).
const char* cpu_path_name(CpuPath path);

// The highest path compiled in that the running CPU supports.
CpuPath best_cpu_path();

// The path in use: best_cpu_path(), lowered by PHASE_ROUTER_CPU when it names a lower path.
// Decided on the first call and fixed for the life of the process.
CpuPath active_cpu_path();

// PHASE_ROUTER_CPU as read at that decision ("" when unset); the Python layer reports values
// that name no path.
const char* requested_cpu_path();

}  // namespace phase_router

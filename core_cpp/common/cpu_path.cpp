#include "common/cpu_path.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

namespace phase_router {

namespace {

#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__) && !defined(__clang__)
#define PHASE_ROUTER_X86_PATHS 1
#endif

CpuPath detect() {
#ifdef PHASE_ROUTER_X86_PATHS
    // libgcc's CPUID probe also checks (XGETBV) that the OS saves the YMM/ZMM registers.
    __builtin_cpu_init();
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                      __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
    const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                        __builtin_cpu_supports("avx512cd");
    if (avx512) return CpuPath::kAvx512;
    if (avx2) return CpuPath::kAvx2;
#endif
    return CpuPath::kBaseline;
}

std::string& requested() {
    static std::string value;
    return value;
}

CpuPath choose() {
    CpuPath path = detect();
    const char* env = std::getenv("PHASE_ROUTER_CPU");
    requested() = env ? env : "";
    if (env) {
        // Only ever lowers: a path the CPU lacks would die on its first instruction.
        for (const CpuPath lower : {CpuPath::kBaseline, CpuPath::kAvx2, CpuPath::kAvx512}) {
            if (std::strcmp(env, cpu_path_name(lower)) == 0 && lower < path) path = lower;
        }
        if (std::strcmp(env, "generic") == 0) path = CpuPath::kBaseline;
    }
    return path;
}

}  // namespace

const char* cpu_path_name(CpuPath path) {
    switch (path) {
        case CpuPath::kAvx512: return "avx512";
        case CpuPath::kAvx2: return "avx2";
        default: break;
    }
#ifdef PHASE_ROUTER_X86_PATHS
    return "baseline";
#else
    return "generic";
#endif
}

CpuPath best_cpu_path() {
    static const CpuPath path = detect();
    return path;
}

CpuPath active_cpu_path() {
    static const CpuPath path = choose();
    return path;
}

const char* requested_cpu_path() {
    active_cpu_path();
    return requested().c_str();
}

}  // namespace phase_router

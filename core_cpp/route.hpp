// The whole routing (docs/SPEC.md) from degrees: s (M sources, each 0..E) and t (E targets, each
// 0..M). Writes M rows of k int32 target ids, ascending, -1 padded. No Python types here.
#pragma once
#include <cstdint>

namespace phase_router {

struct RouteOptions {
    std::uint32_t k = 1;
    std::uint64_t seed = 0;
    bool row_perm = false;
    int threads = 0;  // 0: OpenMP's default; results never depend on it
};

// Requires M >= 1, E >= 1, E < 2^31, M < 2^31, s[i] <= E, t[j] <= M, k >= 1 (checked in Python;
// violations throw std::invalid_argument). out must hold M * k int32.
void route_degrees(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                   const RouteOptions& options, std::int32_t* out);

bool built_with_openmp();

}  // namespace phase_router

// Statistics of one routing that need a pass over all M x k routes: routes per target (column
// loads), active routes and rows with fewer than k routes. Done here, in parallel and without
// the GIL, because in NumPy this pass cost more than the routing itself.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

struct RouteSummary {
    std::uint64_t active = 0;       // routes that are not -1
    std::uint64_t underfilled = 0;  // rows with fewer than k routes
    std::vector<std::int64_t> column_loads;
};

// routes: M rows of k int32, each row's targets (< E) first, then -1 padding.
RouteSummary summarize_routes(const std::int32_t* routes, std::uint64_t M, std::uint32_t k, std::uint32_t E,
                              int threads);

}  // namespace phase_router

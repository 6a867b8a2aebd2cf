// Statistics of one routing that need a pass over all M x k routes: routes per target (column
// loads), active routes, rows with fewer than k routes and rows with none. Done here, in parallel
// and without the GIL, because in NumPy this pass cost more than the routing itself. (A kernel
// that tallies its rows as it writes them, selection/route_totals.hpp, needs no such pass.)
#pragma once
#include <cstdint>

#include "selection/route_totals.hpp"

namespace phase_router {

// routes: M rows of k int32, each row's targets first, then -1 padding. Throws std::out_of_range
// for a target outside [0, E).
RouteTotals summarize_routes(const std::int32_t* routes, std::uint64_t M, std::uint32_t k, std::uint32_t E,
                             int threads);

}  // namespace phase_router

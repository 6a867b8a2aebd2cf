// The spec's whole pipeline from degrees (docs/SPEC.md steps 1-7): the phase Router's candidates
// under the default selection policy (random) with the Router's own k and seed. A row range is the
// unit of chunked output and of sharding; every range equals the same slice of the full routing.
#pragma once
#include <cstdint>

#include "ring/router.hpp"

namespace phase_router {

// Rows [begin, end) of a prepared Router into out ((end - begin) x k int32, -1 padded).
void route_rows(const Router& router, std::uint32_t begin, std::uint32_t end, int threads, std::int32_t* out);

// All M rows into out (M x k int32), with options.threads.
void route_degrees(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                   const RouteOptions& options, std::int32_t* out);

}  // namespace phase_router

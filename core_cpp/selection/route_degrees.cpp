#include "selection/route_degrees.hpp"

#include "selection/policy_random.hpp"

namespace phase_router {

void route_rows(const Router& router, std::uint32_t begin, std::uint32_t end, int threads, std::int32_t* out) {
    select_random(router, router.seed(), router.k(), begin, end, threads, out);
}

void route_degrees(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                   const RouteOptions& options, std::int32_t* out) {
    route_rows(Router(s, M, t, E, options), 0, M, options.threads, out);
}

}  // namespace phase_router

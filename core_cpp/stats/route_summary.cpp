#include "stats/route_summary.hpp"

#include <stdexcept>
#include <vector>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"

namespace phase_router {

RouteTotals summarize_routes(const std::int32_t* routes, std::uint64_t M, std::uint32_t k, std::uint32_t E,
                             int threads) {
    const int parts = thread_count(threads);
    std::vector<RouteTotals> partial(static_cast<std::size_t>(parts));
    run_parallel(parts, [&](int part, int actual) {
        RouteTotals& mine = partial[static_cast<std::size_t>(part)];
        mine.loads.assign(E, 0);
        for (std::uint64_t i = part_begin(M, part, actual); i < part_begin(M, part + 1, actual); ++i) {
            poll_cancel(i);
            const std::int32_t* row = routes + i * k;
            std::uint32_t n = 0;
            while (n < k && row[n] >= 0) {  // counting as it checks: one read of each route
                const auto target = static_cast<std::uint32_t>(row[n]);
                if (target >= E) throw std::out_of_range("route target outside [0, E)");
                ++mine.loads[target];
                ++n;
            }
            mine.add_row_count(n, k);
        }
    });
    RouteTotals total(E);
    for (const RouteTotals& p : partial) total.add(p);
    return total;
}

}  // namespace phase_router

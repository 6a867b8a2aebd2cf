#include "stats/route_summary.hpp"

#include <stdexcept>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"

namespace phase_router {

RouteSummary summarize_routes(const std::int32_t* routes, std::uint64_t M, std::uint32_t k, std::uint32_t E,
                              int threads) {
    const int parts = thread_count(threads);
    std::vector<RouteSummary> partial(static_cast<std::size_t>(parts));
    run_parallel(parts, [&](int part, int actual) {
        RouteSummary& mine = partial[static_cast<std::size_t>(part)];
        mine.column_loads.assign(E, 0);
        for (std::uint64_t i = part_begin(M, part, actual); i < part_begin(M, part + 1, actual); ++i) {
            poll_cancel(i);
            const std::int32_t* row = routes + i * k;
            std::uint32_t n = 0;
            while (n < k && row[n] >= 0) {
                if (static_cast<std::uint32_t>(row[n]) >= E) throw std::out_of_range("route target outside [0, E)");
                ++mine.column_loads[static_cast<std::uint32_t>(row[n])];
                ++n;
            }
            mine.active += n;
            mine.underfilled += n < k ? 1 : 0;
        }
    });
    RouteSummary total;
    total.column_loads.assign(E, 0);
    for (const RouteSummary& p : partial) {
        total.active += p.active;
        total.underfilled += p.underfilled;
        for (std::uint32_t j = 0; j < E && !p.column_loads.empty(); ++j) total.column_loads[j] += p.column_loads[j];
    }
    return total;
}

}  // namespace phase_router

#include "selection/policy_greedy.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "common/permutation.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

namespace {

// One thread's scratch, reused across rows.
struct Worker {
    explicit Worker(std::uint32_t max_candidates) : ids(max_candidates) {}
    CandidateScratch candidates;
    std::vector<std::uint32_t> ids;
    std::uint32_t count = 0;
    std::vector<std::uint64_t> ties;
    std::vector<std::uint32_t> order;
};

// Keeps the k candidates of smallest (load_j / t_j, tie_j); t_j >= 1 for every candidate, since
// j is a candidate only if its T-arc covers the source. The order is strict (tie hashes of one
// row are distinct), so the kept set is unique whatever nth_element's implementation does.
void keep_least_loaded(Worker& w, std::uint32_t k, const std::uint32_t* t, const std::vector<std::uint64_t>& load,
                       std::uint64_t row_key, std::int32_t* row_out) {
    const std::uint32_t c = w.count;
    if (c > k) {
        w.ties.resize(c);
        w.order.resize(c);
        for (std::uint32_t x = 0; x < c; ++x) {
            w.ties[x] = splitmix(row_key, w.ids[x]);
            w.order[x] = x;
        }
        auto less = [&](std::uint32_t a, std::uint32_t b) {
            const std::uint32_t ja = w.ids[a], jb = w.ids[b];
            const std::uint64_t lhs = load[ja] * t[jb], rhs = load[jb] * t[ja];  // < 2^62
            return lhs != rhs ? lhs < rhs : w.ties[a] < w.ties[b];
        };
        std::nth_element(w.order.begin(), w.order.begin() + k, w.order.end(), less);
        std::sort(w.order.begin(), w.order.begin() + k);  // positions in ids are ascending targets
        for (std::uint32_t x = 0; x < k; ++x) row_out[x] = static_cast<std::int32_t>(w.ids[w.order[x]]);
        return;
    }
    for (std::uint32_t x = 0; x < c; ++x) row_out[x] = static_cast<std::int32_t>(w.ids[x]);
    std::fill(row_out + c, row_out + k, -1);
}

}  // namespace

void select_greedy(const CandidateSource& source, const GreedyOptions& options, std::int32_t* out) {
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    const std::uint32_t M = source.sources(), E = source.targets(), k = options.k;
    const std::uint32_t block = greedy_block(options.block, M);
    const std::uint32_t* t = source.target_degrees();
    // Rows go in a seed-derived order, not ring order: in ring order each target is covered by
    // one stretch of consecutive rows, so its final load would depend on where that stretch
    // falls in the pass (measured: 47 to 72 against a mean of 64 at N = 1024, k = 64).
    const auto row_order = keyed_permutation(domain_key(options.seed, Domain::kGreedyOrder), M);
    const std::uint64_t tie_key = domain_key(options.seed, Domain::kGreedyTies);

    // Small blocks are not worth waking threads for; the result is the same either way.
    const int parts = static_cast<std::uint64_t>(block) * E >= (1u << 16) ? thread_count(options.threads) : 1;
    std::vector<Worker> workers(static_cast<std::size_t>(parts), Worker(source.max_candidates()));
    std::vector<std::uint64_t> load(E, 0);
    auto route_row = [&](Worker& w, std::uint32_t i) {
        w.count = source.row_candidates(i, w.candidates, w.ids.data());
        keep_least_loaded(w, k, t, load, splitmix(tie_key, i), out + static_cast<std::size_t>(i) * k);
    };
    for (std::uint32_t b0 = 0; b0 < M; b0 += std::min(block, M - b0)) {
        const std::uint32_t b1 = b0 + std::min(block, M - b0);
        throw_if_cancelled();
        if (parts == 1) {
            for (std::uint32_t r = b0; r < b1; ++r) {
                poll_cancel(r - b0);  // blocks can be large (block = M)
                route_row(workers[0], row_order[r]);
            }
        } else {
            run_parallel(parts, [&](int part, int actual) {
                Worker& w = workers[static_cast<std::size_t>(part)];
                for (auto r = b0 + part_begin(b1 - b0, part, actual); r < b0 + part_begin(b1 - b0, part + 1, actual); ++r) {
                    poll_cancel(r - b0);
                    route_row(w, row_order[r]);
                }
            });
        }
        // The block's routes join the loads only now, so no row of the block saw another's.
        for (std::uint32_t r = b0; r < b1; ++r) {
            const std::int32_t* row = out + static_cast<std::size_t>(row_order[r]) * k;
            for (std::uint32_t x = 0; x < k && row[x] >= 0; ++x) ++load[static_cast<std::uint32_t>(row[x])];
        }
    }
}

}  // namespace phase_router

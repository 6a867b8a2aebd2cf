#include "selection/greedy.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "baselines/domains.hpp"
#include "common/bitops.hpp"
#include "common/parallel.hpp"
#include "common/permutation.hpp"
#include "ring/phase_offsets.hpp"
#include "ring/source_arcs.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

namespace {

// One thread's scratch, reused across rows.
struct Worker {
    explicit Worker(std::size_t words) : arc(words) {}
    std::vector<std::uint64_t> arc;
    std::vector<std::uint32_t> ids;
    std::vector<std::uint64_t> ties;
    std::vector<std::uint32_t> order;
};

// Keeps the k candidates of smallest (load_j / t_j, tie_j); t_j >= 1 for every candidate, since
// j is a candidate only if its T-arc covers the source. The order is strict (tie hashes of one
// row are distinct), so the kept set is unique whatever nth_element's implementation does.
void keep_least_loaded(Worker& w, std::uint32_t k, const std::uint32_t* t, const std::vector<std::uint64_t>& load,
                       std::uint64_t row_key, std::int32_t* row_out) {
    const auto c = static_cast<std::uint32_t>(w.ids.size());
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

void route_degrees_greedy(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                          const GreedyOptions& options, std::int32_t* out) {
    if (M == 0 || E == 0) throw std::invalid_argument("M and E must be at least 1");
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    if (options.block == 0) throw std::invalid_argument("block must be at least 1");
    for (std::uint32_t i = 0; i < M; ++i)
        if (s[i] > E) throw std::invalid_argument("source degree larger than E");
    for (std::uint32_t j = 0; j < E; ++j)
        if (t[j] > M) throw std::invalid_argument("target degree larger than M");

    const std::uint64_t seed = options.seed;
    const std::uint32_t k = options.k;
    // Steps 1-5 exactly as route.cpp builds them (read-only use of the same helpers).
    const auto lay_s = options.row_perm ? keyed_permutation(domain_key(seed, Domain::kLayOrderS), M)
                                        : identity_permutation(M);
    const auto lay_t = options.row_perm ? keyed_permutation(domain_key(seed, Domain::kLayOrderT), E)
                                        : identity_permutation(E);
    const auto phi = phase_offsets(s, lay_s, E);
    const auto position_owner = inverse_permutation(keyed_permutation(domain_key(seed, Domain::kColumnsS), E));
    const SourceArcs source_arcs(position_owner);  // keeps a reference to position_owner
    const auto psi = phase_offsets(t, lay_t, M);
    // Step 5 is implicit: source i sits at position pi_T(i) of T's ring.
    const auto ring_position = keyed_permutation(domain_key(seed, Domain::kColumnsT), M);
    // Rows go in a seed-derived order, not ring order: in ring order each target is covered by
    // one stretch of consecutive rows, so its final load would depend on where that stretch
    // falls in the pass (measured: 47 to 72 against a mean of 64 at N = 1024, k = 64).
    const auto row_order = keyed_permutation(splitmix(seed, kDomainGreedyOrder), M);
    const std::uint64_t tie_key = splitmix(seed, kDomainGreedyTies);
    const std::size_t words = words_for_bits(E);

    // Small blocks are not worth waking threads for; the result is the same either way.
    const int parts = static_cast<std::uint64_t>(options.block) * E >= (1u << 16) ? thread_count(options.threads) : 1;
    std::vector<Worker> workers(static_cast<std::size_t>(parts), Worker(words));
    std::vector<std::uint64_t> load(E, 0);
    auto route_row = [&](Worker& w, std::uint32_t i) {
        std::int32_t* row_out = out + static_cast<std::size_t>(i) * k;
        w.ids.clear();
        if (s[i] > 0) {
            // C_i = { j on S'_i's arc : T-arc j covers q = pi_T(i) }, ascending.
            const std::uint32_t q = ring_position[i];
            source_arcs.row(phi[i], s[i], w.arc.data());
            for (std::size_t x = 0; x < words; ++x) {
                for (std::uint64_t bits = w.arc[x]; bits; bits &= bits - 1) {
                    const auto j = static_cast<std::uint32_t>(x * 64 + static_cast<unsigned>(ctz64(bits)));
                    const std::uint32_t distance = q >= psi[j] ? q - psi[j] : q + (M - psi[j]);
                    if (distance < t[j]) w.ids.push_back(j);
                }
            }
        }
        keep_least_loaded(w, k, t, load, splitmix(tie_key, i), row_out);
    };
    for (std::uint32_t b0 = 0; b0 < M; b0 += std::min(options.block, M - b0)) {
        const std::uint32_t b1 = b0 + std::min(options.block, M - b0);
        if (parts == 1) {
            for (std::uint32_t r = b0; r < b1; ++r) route_row(workers[0], row_order[r]);
        } else {
            run_parallel(parts, [&](int part, int actual) {
                Worker& w = workers[static_cast<std::size_t>(part)];
                for (auto r = b0 + part_begin(b1 - b0, part, actual); r < b0 + part_begin(b1 - b0, part + 1, actual); ++r)
                    route_row(w, row_order[r]);
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

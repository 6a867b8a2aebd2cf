#include "baselines/hash.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "baselines/domains.hpp"
#include "baselines/sampling.hpp"
#include "common/parallel.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

namespace {

void check_counts(const std::uint32_t* counts, std::uint32_t M, std::uint32_t limit, std::uint32_t k) {
    for (std::uint32_t i = 0; i < M; ++i)
        if (counts[i] > limit || counts[i] > k) throw std::invalid_argument("a row count exceeds k or the eligible targets");
}

// Row i's chosen targets (unsorted in `picked`) written ascending, then -1 padding.
void write_row(std::vector<std::uint32_t>& picked, std::uint32_t k, std::int32_t* row) {
    std::sort(picked.begin(), picked.end());
    std::size_t n = 0;
    for (; n < picked.size(); ++n) row[n] = static_cast<std::int32_t>(picked[n]);
    std::fill(row + n, row + k, -1);
}

}  // namespace

void hash_route_uniform(const std::uint32_t* counts, std::uint32_t M, std::uint32_t E, std::uint32_t k,
                        std::uint64_t seed, int threads, std::int32_t* out) {
    if (M == 0 || E == 0 || k == 0) throw std::invalid_argument("M, E and k must be at least 1");
    check_counts(counts, M, E, k);
    const std::uint64_t key = domain_key(seed, static_cast<Domain>(kDomainHashUniform));
    run_parallel(thread_count(threads), [&](int part, int parts) {
        std::vector<std::uint8_t> chosen(E, 0);  // Floyd's membership test, cleared after each row
        std::vector<std::uint32_t> picked;
        for (std::uint64_t i = part_begin(M, part, parts); i < part_begin(M, part + 1, parts); ++i) {
            const std::uint32_t n = counts[i];
            picked.clear();
            // Floyd: for j = E-n .. E-1 draw v in [0, j]; take v, or j if v is taken already.
            DrawStream stream(splitmix(key, i));
            for (std::uint64_t j = E - n; j < E; ++j) {
                const std::uint32_t v = stream.bounded(static_cast<std::uint32_t>(j + 1));
                const std::uint32_t take = chosen[v] ? static_cast<std::uint32_t>(j) : v;
                chosen[take] = 1;
                picked.push_back(take);
            }
            for (std::uint32_t j : picked) chosen[j] = 0;
            write_row(picked, k, out + i * k);
        }
    });
}

void hash_route_weighted(const std::uint32_t* counts, std::uint32_t M, const std::uint32_t* weights,
                         std::uint32_t E, std::uint32_t k, std::uint64_t seed, int threads, std::int32_t* out) {
    if (M == 0 || E == 0 || k == 0) throw std::invalid_argument("M, E and k must be at least 1");
    std::vector<std::uint64_t> w(weights, weights + E);
    const auto positive = static_cast<std::uint32_t>(std::count_if(w.begin(), w.end(), [](std::uint64_t x) { return x > 0; }));
    check_counts(counts, M, positive, k);
    const std::uint64_t key = domain_key(seed, static_cast<Domain>(kDomainHashWeighted));
    run_parallel(thread_count(threads), [&](int part, int parts) {
        WeightTree tree(w);  // per thread; every row restores the weights it removed
        std::vector<std::uint32_t> picked;
        for (std::uint64_t i = part_begin(M, part, parts); i < part_begin(M, part + 1, parts); ++i) {
            picked.clear();
            WideDraws draws(splitmix(key, i));
            for (std::uint32_t r = 0; r < counts[i]; ++r) {
                const std::uint32_t j = tree.find(draws.bounded(tree.total()));
                tree.add(j, -static_cast<std::int64_t>(w[j]));
                picked.push_back(j);
            }
            for (std::uint32_t j : picked) tree.add(j, static_cast<std::int64_t>(w[j]));
            write_row(picked, k, out + i * k);
        }
    });
}

}  // namespace phase_router

#include "route.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "bitops.hpp"
#include "parallel.hpp"
#include "permutation.hpp"
#include "phase_offsets.hpp"
#include "select_routes.hpp"
#include "source_arcs.hpp"
#include "splitmix.hpp"
#include "target_sweep.hpp"

namespace phase_router {

void route_degrees(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                   const RouteOptions& options, std::int32_t* out) {
    if (M == 0 || E == 0) throw std::invalid_argument("M and E must be at least 1");
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    for (std::uint32_t i = 0; i < M; ++i)
        if (s[i] > E) throw std::invalid_argument("source degree larger than E");
    for (std::uint32_t j = 0; j < E; ++j)
        if (t[j] > M) throw std::invalid_argument("target degree larger than M");

    const std::uint64_t seed = options.seed;
    const std::uint32_t k = options.k;

    // Steps 1-4: arcs, phase offsets and column permutations, kept as permutations and offsets.
    const auto lay_s = options.row_perm ? keyed_permutation(domain_key(seed, Domain::kLayOrderS), M)
                                        : identity_permutation(M);
    const auto lay_t = options.row_perm ? keyed_permutation(domain_key(seed, Domain::kLayOrderT), E)
                                        : identity_permutation(E);
    const auto phi = phase_offsets(s, lay_s, E);
    const SourceArcs source_arcs(inverse_permutation(keyed_permutation(domain_key(seed, Domain::kColumnsS), E)));
    const TargetSweep sweep(t, phase_offsets(t, lay_t, M), M);
    // Step 5 (transpose) is implicit: source i sits at position pi_T(i) of T's ring.
    const auto source_at = inverse_permutation(keyed_permutation(domain_key(seed, Domain::kColumnsT), M));
    const std::uint64_t select_key = domain_key(seed, Domain::kSelect);
    const std::size_t words = words_for_bits(E);

    // Steps 6-7 over contiguous stretches of T's ring, one per thread. Each row's output is a
    // function of (seed, row, candidate set) alone, so the split cannot change any bit.
    run_parallel(thread_count(options.threads), [&](int part, int parts) {
        const auto q_begin = static_cast<std::uint32_t>(part_begin(M, part, parts));
        const auto q_end = static_cast<std::uint32_t>(part_begin(M, part + 1, parts));
        if (q_begin == q_end) return;
        std::vector<std::uint64_t> covering(words), candidates(words);
        SelectScratch scratch(E);
        sweep.state_at(q_begin, covering.data());
        for (std::uint32_t q = q_begin; q < q_end; ++q) {
            if (q != q_begin) sweep.advance_to(q, covering.data());
            const std::uint32_t i = source_at[q];
            std::int32_t* row_out = out + static_cast<std::size_t>(i) * k;
            if (s[i] == 0) {
                std::fill(row_out, row_out + k, -1);
                continue;
            }
            source_arcs.row(phi[i], s[i], candidates.data());
            std::uint32_t count = 0;
            for (std::size_t w = 0; w < words; ++w) {
                candidates[w] &= covering[w];
                count += static_cast<std::uint32_t>(popcount64(candidates[w]));
            }
            select_routes(candidates.data(), words, count, k, splitmix(select_key, i), scratch, row_out);
        }
    });
}

bool built_with_openmp() {
#ifdef PHASE_ROUTER_OPENMP
    return true;
#else
    return false;
#endif
}

}  // namespace phase_router

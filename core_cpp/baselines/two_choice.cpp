#include "baselines/two_choice.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "common/cancellation.hpp"
#include "common/sampling.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

void two_choice_route(const std::uint32_t* counts, std::uint32_t M, const std::uint32_t* weights,
                      std::uint32_t E, std::uint32_t k, std::uint64_t seed, std::int32_t* out) {
    if (M == 0 || E == 0 || k == 0) throw std::invalid_argument("M, E and k must be at least 1");
    std::vector<std::uint64_t> w(weights, weights + E);
    const auto positive = static_cast<std::uint32_t>(std::count_if(w.begin(), w.end(), [](std::uint64_t x) { return x > 0; }));
    for (std::uint32_t i = 0; i < M; ++i)
        if (counts[i] > positive || counts[i] > k) throw std::invalid_argument("a row count exceeds k or the eligible targets");
    const std::uint64_t key = domain_key(seed, Domain::kTwoChoice);
    WeightTree tree(w);
    std::vector<std::uint64_t> load(E, 0);
    std::vector<std::uint32_t> picked;
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        picked.clear();
        WideDraws draws(splitmix(key, i));
        for (std::uint32_t r = 0; r < counts[i]; ++r) {
            const std::uint32_t a = tree.find(draws.bounded(tree.total()));
            std::uint32_t choice = a;
            if (positive - r >= 2) {  // a second, different candidate exists
                const std::uint64_t wa = tree.weight(a);
                tree.add(a, -static_cast<std::int64_t>(wa));
                const std::uint32_t b = tree.find(draws.bounded(tree.total()));
                tree.add(a, static_cast<std::int64_t>(wa));
                // load_b / w_b < load_a / w_a, cross-multiplied (both < 2^31, no overflow)
                if (load[b] * w[a] < load[a] * w[b]) choice = b;
            }
            tree.add(choice, -static_cast<std::int64_t>(w[choice]));
            ++load[choice];
            picked.push_back(choice);
        }
        for (std::uint32_t j : picked) tree.add(j, static_cast<std::int64_t>(w[j]));
        std::sort(picked.begin(), picked.end());
        std::int32_t* row = out + static_cast<std::size_t>(i) * k;
        std::size_t n = 0;
        for (; n < picked.size(); ++n) row[n] = static_cast<std::int32_t>(picked[n]);
        std::fill(row + n, row + k, -1);
    }
}

}  // namespace phase_router

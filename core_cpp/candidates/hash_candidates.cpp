#include "candidates/hash_candidates.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

HashCandidates::HashCandidates(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                               std::uint64_t seed)
    : M_(M), E_(E), key_(domain_key(seed, Domain::kHashWeighted)), counts_(s, s + M), t_(t, t + E),
      draws_(t, E) {
    if (M == 0 || E == 0) throw std::invalid_argument("M and E must be at least 1");
    for (std::uint32_t j = 0; j < E; ++j)
        if (t_[j] > 0) positive_.push_back(j);
    const auto P = static_cast<std::uint32_t>(positive_.size());
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        if (counts_[i] > E) throw std::invalid_argument("a source degree exceeds E");
        counts_[i] = std::min(counts_[i], P);
        max_row_ = std::max(max_row_, counts_[i]);
    }
}

void HashCandidates::draw_row(std::uint32_t row, std::uint8_t* taken, std::uint32_t* out) const {
    const std::uint32_t n = counts_[row];
    if (n == positive_.size()) {  // every positive target: the draws would pick exactly these
        std::copy(positive_.begin(), positive_.end(), out);
        return;
    }
    // The weighted hash router's row i (baselines/hash.cpp): the same key, the same stream.
    draws_.draw(splitmix(key_, row), n, taken, out);
    for (std::uint32_t x = 0; x < n; ++x) taken[out[x]] = 0;
    std::sort(out, out + n);
}

std::uint32_t HashCandidates::row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const {
    // The scratch words serve as E bytes of pick marks (zero between rows).
    scratch.words.resize((std::size_t{E_} + 7) / 8, 0);
    draw_row(row, reinterpret_cast<std::uint8_t*>(scratch.words.data()), out);
    return counts_[row];
}

void HashCandidates::visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                                const VisitorFactory& make_visitor) const {
    if (begin > end || end > M_) throw std::invalid_argument("row range outside [0, M)");
    run_parallel(thread_count(threads), [&](int part, int parts) {
        const std::uint32_t first = begin + static_cast<std::uint32_t>(part_begin(end - begin, part, parts));
        const std::uint32_t last = begin + static_cast<std::uint32_t>(part_begin(end - begin, part + 1, parts));
        if (first == last) return;
        const auto visitor = make_visitor(part);
        std::vector<std::uint8_t> taken(E_, 0);
        std::vector<std::uint32_t> row(std::max<std::uint32_t>(max_row_, 1));
        for (std::uint32_t i = first; i < last; ++i) {
            throw_if_cancelled();  // a row is up to O(E) work
            draw_row(i, taken.data(), row.data());
            visitor->list_row(i, row.data(), counts_[i]);
        }
    });
}

}  // namespace phase_router

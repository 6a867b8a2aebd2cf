#include "candidates/mask_candidates.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"

namespace phase_router {

MaskCandidates::MaskCandidates(const std::uint64_t* offsets, std::uint32_t M, const std::uint32_t* targets,
                               std::uint32_t E, const std::uint32_t* t, const std::int64_t* weights)
    : M_(M), E_(E), offsets_(offsets, offsets + std::size_t{M} + 1), t_(t, t + E) {
    if (M == 0 || E == 0) throw std::invalid_argument("M and E must be at least 1");
    if (offsets_[0] != 0) throw std::invalid_argument("offsets must start at 0");
    std::vector<std::uint64_t> listed(E, 0);
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        if (offsets_[i + 1] < offsets_[i]) throw std::invalid_argument("offsets must not decrease");
        const std::uint64_t length = offsets_[i + 1] - offsets_[i];
        if (length > E) throw std::invalid_argument("a row lists more targets than E");
        max_row_ = std::max(max_row_, static_cast<std::uint32_t>(length));
    }
    targets_.assign(targets, targets + offsets_[M]);
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        for (std::uint64_t x = offsets_[i]; x < offsets_[i + 1]; ++x) {
            if (targets_[x] >= E) throw std::invalid_argument("target id outside [0, E)");
            if (x > offsets_[i] && targets_[x] <= targets_[x - 1]) throw std::invalid_argument("targets must ascend within a row");
            ++listed[targets_[x]];
        }
    }
    if (weights != nullptr) {
        weights_.assign(weights, weights + offsets_[M]);
        for (const std::int64_t w : weights_)
            if (w < 0 || w > max_candidate_weight) throw std::invalid_argument("a candidate weight outside [0, 2^30]");
    }
    for (std::uint32_t j = 0; j < E; ++j)
        if (listed[j] > t_[j]) throw std::invalid_argument("t_j is below the number of rows listing target j");
}

std::uint32_t MaskCandidates::row_candidates(std::uint32_t row, CandidateScratch&, std::uint32_t* out) const {
    const std::uint64_t a = offsets_[row], b = offsets_[row + 1];
    std::copy(targets_.begin() + static_cast<std::ptrdiff_t>(a), targets_.begin() + static_cast<std::ptrdiff_t>(b), out);
    return static_cast<std::uint32_t>(b - a);
}

void MaskCandidates::visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                                const VisitorFactory& make_visitor) const {
    if (begin > end || end > M_) throw std::invalid_argument("row range outside [0, M)");
    run_parallel(thread_count(threads), [&](int part, int parts) {
        const std::uint32_t first = begin + static_cast<std::uint32_t>(part_begin(end - begin, part, parts));
        const std::uint32_t last = begin + static_cast<std::uint32_t>(part_begin(end - begin, part + 1, parts));
        if (first == last) return;
        const auto visitor = make_visitor(part);
        for (std::uint32_t i = first; i < last; ++i) {
            poll_cancel(i - first);
            visitor->list_row(i, targets_.data() + offsets_[i], static_cast<std::uint32_t>(offsets_[i + 1] - offsets_[i]));
        }
    });
}

}  // namespace phase_router

#include "ring/phase_window.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/bitops.hpp"
#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "common/permutation.hpp"
#include "common/splitmix.hpp"
#include "ring/arc_candidates.hpp"
#include "ring/phase_offsets.hpp"

namespace phase_router {

PhaseWindow::PhaseWindow(const std::uint32_t* s, std::uint32_t count, std::uint32_t first, std::uint32_t phase,
                         std::uint32_t M, const std::uint32_t* t, std::uint32_t E, std::uint64_t seed)
    : count_(count), first_(first), M_(M), E_(E), s_(s, s + count), t_(t, t + E) {
    if (M == 0 || E == 0) throw std::invalid_argument("M and E must be at least 1");
    if (M > 0x7FFFFFFFu || E > 0x7FFFFFFFu) throw std::invalid_argument("M and E must be below 2^31");
    if (first > M || count > M - first) throw std::invalid_argument("rows outside [0, M)");
    if (phase >= E) throw std::invalid_argument("phase must be below E");
    // Step 3 for these rows: the arcs continue from the degrees of the rows before them.
    phi_.resize(count);
    std::uint64_t acc = phase;
    for (std::uint32_t i = 0; i < count; ++i) {
        poll_cancel(i);
        if (s_[i] > E) throw std::invalid_argument("source degree larger than E");
        max_degree_ = std::max(max_degree_, s_[i]);
        phi_[i] = static_cast<std::uint32_t>(acc);
        acc += s_[i];
        if (acc >= E) acc -= E;
    }
    for (const std::uint32_t d : t_)
        if (d > M) throw std::invalid_argument("target degree larger than M");
    // Step 4, the parts these rows meet: S's column permutation (E positions), and T's for
    // these rows' own columns only.
    position_owner_ = inverse_permutation(keyed_permutation(domain_key(seed, Domain::kColumnsS), E));
    ring_position_ = keyed_permutation_slice(domain_key(seed, Domain::kColumnsT), M, first, first + count);
    psi_ = phase_offsets(t_.data(), identity_permutation(E), M);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> events;
    for (std::uint32_t j = 0; j < E; ++j) {
        if (t_[j] == 0 || t_[j] >= M) continue;  // never enters or leaves
        const std::uint64_t leave = std::uint64_t{psi_[j]} + t_[j];
        events.emplace_back(psi_[j], j);
        events.emplace_back(static_cast<std::uint32_t>(leave >= M ? leave - M : leave), j);
    }
    std::sort(events.begin(), events.end());
    for (const auto& [position, j] : events) {
        event_position_.push_back(position);
        event_target_.push_back(j);
    }
    sparse_below_ = sparse_degree_threshold(E);  // the Router's cost model
    bool any_dense = false;
    for (std::uint32_t i = 0; i < count && !any_dense; ++i) any_dense = s_[i] != 0 && dense(i);
    if (any_dense) arcs_ = std::make_unique<SourceArcs>(position_owner_);
}

std::uint32_t PhaseWindow::arc_candidates(std::uint32_t row, std::uint32_t* out) const {
    const auto covers = [this](std::uint32_t j, std::uint32_t q) { return this->covers(j, q); };
    return walked_candidates(position_owner_, phi_[row], s_[row], ring_position_[row], covers, out);
}

std::uint32_t PhaseWindow::row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const {
    if (s_[row] == 0) return 0;
    if (!arcs_ || !dense(row)) return arc_candidates(row, out);
    const auto covers = [this](std::uint32_t j, std::uint32_t q) { return this->covers(j, q); };
    return checkpoint_candidates(*arcs_, phi_[row], s_[row], ring_position_[row], covers, scratch.words, out);
}

void PhaseWindow::visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                             const VisitorFactory& make_visitor) const {
    if (begin > end || end > count_) throw std::invalid_argument("row range outside [0, M)");
    std::vector<std::uint32_t> rows(end - begin);
    for (std::uint32_t i = begin; i < end; ++i) rows[i - begin] = i;
    visit(std::move(rows), threads, make_visitor);
}

void PhaseWindow::visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                                 const VisitorFactory& make_visitor) const {
    for (const std::uint32_t i : rows)
        if (i >= count_) throw std::invalid_argument("row outside [0, M)");
    visit(rows, threads, make_visitor);
}

void PhaseWindow::visit(std::vector<std::uint32_t> rows, int threads, const VisitorFactory& make_visitor) const {
    std::vector<std::uint32_t> long_rows, other_rows;
    for (const std::uint32_t i : rows) (arcs_ && s_[i] != 0 && dense(i) ? long_rows : other_rows).push_back(i);
    // Long rows in T-ring order, so one sweep keeps their covering sets.
    std::sort(long_rows.begin(), long_rows.end(),
              [&](std::uint32_t a, std::uint32_t b) { return ring_position_[a] < ring_position_[b]; });
    const std::size_t words = words_for_bits(E_);
    if (!long_rows.empty()) {
        run_parallel(thread_count(threads), [&](int part, int parts) {
            const std::size_t first = part_begin(long_rows.size(), part, parts);
            const std::size_t last = part_begin(long_rows.size(), part + 1, parts);
            if (first == last) return;
            const auto visitor = make_visitor(part);
            std::vector<std::uint64_t> covering(words, 0), candidates(words);
            std::uint32_t q = ring_position_[long_rows[first]];
            for (std::uint32_t j = 0; j < E_; ++j)
                if (covers(j, q)) covering[j >> 6] |= 1ULL << (j & 63);
            // the events at positions <= q are in the state already
            auto next = std::upper_bound(event_position_.begin(), event_position_.end(), q) - event_position_.begin();
            for (std::size_t x = first; x < last; ++x) {
                throw_if_cancelled();
                const std::uint32_t i = long_rows[x];
                q = ring_position_[i];
                for (; next < static_cast<std::ptrdiff_t>(event_position_.size()) && event_position_[next] <= q; ++next)
                    covering[event_target_[next] >> 6] ^= 1ULL << (event_target_[next] & 63);
                arcs_->row(phi_[i], s_[i], candidates.data());
                std::uint32_t n = 0;
                for (std::size_t w = 0; w < words; ++w) {
                    candidates[w] &= covering[w];
                    n += static_cast<std::uint32_t>(popcount64(candidates[w]));
                }
                visitor->bitmap_row(i, candidates.data(), words, n);
            }
        });
    }
    if (other_rows.empty()) return;
    run_parallel(thread_count(threads), [&](int part, int parts) {
        const std::size_t first = part_begin(other_rows.size(), part, parts);
        const std::size_t last = part_begin(other_rows.size(), part + 1, parts);
        if (first == last) return;
        const auto visitor = make_visitor(part);
        std::vector<std::uint32_t> candidates(std::max<std::uint32_t>(max_degree_, 1));
        for (std::size_t x = first; x < last; ++x) {
            throw_if_cancelled();
            const std::uint32_t i = other_rows[x];
            const std::uint32_t n = s_[i] == 0 ? 0 : arc_candidates(i, candidates.data());
            visitor->list_row(i, candidates.data(), n);
        }
    });
}

std::uint64_t PhaseWindow::memory_bytes() const {
    return 4 * (std::uint64_t{count_} * 3 + std::uint64_t{E_} * 3 + event_position_.size() * 2) +
           (arcs_ ? arcs_->memory_bytes() : 0);
}

}  // namespace phase_router

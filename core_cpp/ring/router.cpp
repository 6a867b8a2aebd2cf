#include "ring/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/cancellation.hpp"
#include "common/bitops.hpp"
#include "common/parallel.hpp"
#include "common/permutation.hpp"
#include "ring/arc_candidates.hpp"
#include "ring/phase_offsets.hpp"
#include "common/splitmix.hpp"

namespace phase_router {

Router::Router(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
               const RouteOptions& options)
    : M_(M), E_(E), options_(options), s_(s, s + M), t_(t, t + E) {
    if (M == 0 || E == 0) throw std::invalid_argument("M and E must be at least 1");
    if (M > 0x7FFFFFFFu || E > 0x7FFFFFFFu) throw std::invalid_argument("M and E must be below 2^31");
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    sparse_below_ = sparse_degree_threshold(E, options.checkpoint_budget_bytes);
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        const std::uint32_t d = s_[i];
        if (d > E) throw std::invalid_argument("source degree larger than E");
        max_degree_ = std::max(max_degree_, d);
        if (d == 0) continue;
        if (degree_is_sparse(d)) ++sparse_rows_; else ++dense_rows_;
    }
    for (const std::uint32_t d : t_) {
        if (d > M) throw std::invalid_argument("target degree larger than M");
        target_total_ += d;
    }

    const std::uint64_t seed = options.seed;
    // Steps 1-3: arcs and phase offsets, laid in input order or the seed's row order.
    const auto lay_s = options.row_perm ? keyed_permutation(domain_key(seed, Domain::kLayOrderS), M)
                                        : identity_permutation(M);
    const auto lay_t = options.row_perm ? keyed_permutation(domain_key(seed, Domain::kLayOrderT), E)
                                        : identity_permutation(E);
    phi_ = phase_offsets(s_.data(), lay_s, E);
    // Step 4: column permutations. Step 5 (transpose) is implicit: source i sits at position
    // pi_T[i] of T's ring.
    position_owner_ = inverse_permutation(keyed_permutation(domain_key(seed, Domain::kColumnsS), E));
    ring_position_ = keyed_permutation(domain_key(seed, Domain::kColumnsT), M);
    at_position_.resize(M);
    for (std::uint32_t i = 0; i < M; ++i) {
        poll_cancel(i);
        at_position_[ring_position_[i]] = {i, s_[i], phi_[i]};
    }
    sweep_ = std::make_unique<TargetSweep>(t_.data(), phase_offsets(t_.data(), lay_t, M), M);

    if (dense_rows_ != 0) arcs_ = std::make_unique<SourceArcs>(position_owner_, options.checkpoint_budget_bytes);
}


std::uint64_t Router::memory_bytes() const {
    const std::uint64_t arrays = (phi_.size() + position_owner_.size() + ring_position_.size()) * 4 +
                                 at_position_.size() * sizeof(AtPosition);
    const std::uint64_t events = (std::uint64_t{M_} + 1 + 2ULL * E_) * 4;
    return arrays + events + (arcs_ ? arcs_->memory_bytes() : 0);
}

std::uint32_t Router::arc_candidates(std::uint32_t i, std::uint32_t* out) const {
    const auto covers = [this](std::uint32_t j, std::uint32_t q) { return sweep_->covers(j, q); };
    return walked_candidates(position_owner_, phi_[i], s_[i], ring_position_[i], covers, out);
}

std::uint32_t Router::row_candidates(std::uint32_t i, CandidateScratch& scratch, std::uint32_t* out) const {
    if (s_[i] == 0) return 0;
    if (!arcs_ || row_is_sparse(i)) return arc_candidates(i, out);
    const auto covers = [this](std::uint32_t j, std::uint32_t q) { return sweep_->covers(j, q); };
    return checkpoint_candidates(*arcs_, phi_[i], s_[i], ring_position_[i], covers, scratch.words, out);
}

void Router::visit_rows(std::uint32_t begin, std::uint32_t end, int threads, const VisitorFactory& make_visitor) const {
    if (begin > end || end > M_) throw std::invalid_argument("row range outside [0, M)");
    // Empty rows have no candidate; the others go to the dense sweep (in T-ring order) or to
    // the sparse path (in row order).
    if (begin == 0 && end == M_ && dense_rows_ == M_) {
        // Every row dense (every MoE routing): the sweep visits every position, no list needed.
        visit_dense(nullptr, M_, threads, make_visitor);
        return;
    }
    std::vector<std::uint32_t> dense_positions, sparse_rows, empty_rows;
    if (begin == 0 && end == M_) {
        for (std::uint32_t q = 0; q < M_; ++q) {
            poll_cancel(q);
            const std::uint32_t degree = at_position_[q].degree;
            if (degree != 0 && !degree_is_sparse(degree)) dense_positions.push_back(q);
        }
    } else {
        for (std::uint32_t i = begin; i < end; ++i) {
            poll_cancel(i);
            if (s_[i] != 0 && !row_is_sparse(i)) dense_positions.push_back(ring_position_[i]);
        }
        std::sort(dense_positions.begin(), dense_positions.end());
    }
    for (std::uint32_t i = begin; i < end; ++i) {
        poll_cancel(i);
        if (s_[i] == 0) empty_rows.push_back(i);
        else if (row_is_sparse(i)) sparse_rows.push_back(i);
    }
    visit_split(dense_positions, sparse_rows, empty_rows, threads, make_visitor);
}

void Router::visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                            const VisitorFactory& make_visitor) const {
    // As visit_rows, for a scattered set of rows: the dense ones are swept in T-ring order, so
    // their covering sets X_q come from one sweep (a jump between two listed positions costs only
    // the events passed) and each row costs O(E/64) words, not one covers() test per arc bit.
    std::vector<std::uint32_t> dense_positions, sparse_rows, empty_rows;
    for (const std::uint32_t i : rows) {
        poll_cancel(empty_rows.size() + sparse_rows.size() + dense_positions.size());
        if (i >= M_) throw std::invalid_argument("row outside [0, M)");
        if (s_[i] == 0) empty_rows.push_back(i);
        else if (row_is_sparse(i)) sparse_rows.push_back(i);
        else dense_positions.push_back(ring_position_[i]);
    }
    std::sort(dense_positions.begin(), dense_positions.end());
    visit_split(dense_positions, sparse_rows, empty_rows, threads, make_visitor);
}

// Empty rows (no candidate) on the calling thread, then the dense rows by the sweep (positions in
// T-ring order) and the sparse rows by enumeration.
void Router::visit_split(const std::vector<std::uint32_t>& dense_positions, const std::vector<std::uint32_t>& sparse_rows,
                         const std::vector<std::uint32_t>& empty_rows, int threads,
                         const VisitorFactory& make_visitor) const {
    if (!empty_rows.empty()) {
        const auto visitor = make_visitor(0);
        for (std::size_t x = 0; x < empty_rows.size(); ++x) {
            poll_cancel(x);
            visitor->list_row(empty_rows[x], nullptr, 0);
        }
    }
    if (!dense_positions.empty()) visit_dense(dense_positions.data(), dense_positions.size(), threads, make_visitor);
    if (!sparse_rows.empty()) visit_sparse(sparse_rows, threads, make_visitor);
}

void Router::visit_dense(const std::uint32_t* positions, std::size_t count, int threads,
                         const VisitorFactory& make_visitor) const {
    const std::size_t words = words_for_bits(E_);
    const auto position = [positions](std::size_t x) {
        return positions != nullptr ? positions[x] : static_cast<std::uint32_t>(x);
    };
    // Step 6 over contiguous stretches of the sorted T-ring positions, one per thread.
    run_parallel(thread_count(threads), [&](int part, int parts) {
        const std::size_t first = part_begin(count, part, parts);
        const std::size_t last = part_begin(count, part + 1, parts);
        if (first == last) return;
        const auto visitor = make_visitor(part);
        std::vector<std::uint64_t> covering(words), candidates(words);
        sweep_->state_at(position(first), covering.data());
        for (std::size_t x = first; x < last; ++x) {
            throw_if_cancelled();  // a row costs E/64 words at least: one load per row is free
            const std::uint32_t q = position(x);
            if (x != first) sweep_->advance(position(x - 1), q, covering.data());
            const AtPosition& row = at_position_[q];
            std::uint32_t count = 0;
            if (row.degree == E_) {
                // A full row (every MoE token) meets every target: its candidates are X_q itself.
                for (std::size_t w = 0; w < words; ++w) count += static_cast<std::uint32_t>(popcount64(covering[w]));
                visitor->bitmap_row(row.source, covering.data(), words, count);
                continue;
            }
            arcs_->row(row.phase, row.degree, candidates.data());
            for (std::size_t w = 0; w < words; ++w) {
                candidates[w] &= covering[w];
                count += static_cast<std::uint32_t>(popcount64(candidates[w]));
            }
            visitor->bitmap_row(row.source, candidates.data(), words, count);
        }
    });
}

void Router::visit_sparse(const std::vector<std::uint32_t>& rows, int threads, const VisitorFactory& make_visitor) const {
    run_parallel(thread_count(threads), [&](int part, int parts) {
        const std::size_t first = part_begin(rows.size(), part, parts);
        const std::size_t last = part_begin(rows.size(), part + 1, parts);
        if (first == last) return;
        const auto visitor = make_visitor(part);
        std::vector<std::uint32_t> candidates(max_degree_);
        for (std::size_t x = first; x < last; ++x) {
            throw_if_cancelled();
            const std::uint32_t i = rows[x];
            const std::uint32_t count = arc_candidates(i, candidates.data());
            visitor->list_row(i, candidates.data(), count);
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

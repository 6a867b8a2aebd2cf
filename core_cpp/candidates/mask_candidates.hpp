// Routing under a mask: the candidates of source i are exactly { j : S_ij = 1 and T_ji = 1 } of
// the input matrices, with no left-alignment and no phase mixing, for users whose S is a
// constraint (job i may run only on machines j). Built from that set in CSR form (row i's targets
// ascending in targets[offsets[i] .. offsets[i+1])); every selection policy runs on it unchanged.
#pragma once
#include <cstdint>
#include <vector>

#include "candidates/candidate_source.hpp"

namespace phase_router {

class MaskCandidates final : public CandidateSource {
public:
    // offsets: M + 1 entries, non-decreasing from 0; targets: ascending within each row, < E;
    // t: E weights (T's row sums) with t_j >= the number of rows listing j; weights: nullptr
    // (every candidate alike) or one per listed pair, in [0, max_candidate_weight]. Throws
    // std::invalid_argument otherwise. Copies everything.
    MaskCandidates(const std::uint64_t* offsets, std::uint32_t M, const std::uint32_t* targets, std::uint32_t E,
                   const std::uint32_t* t, const std::int64_t* weights = nullptr);

    std::uint32_t sources() const override { return M_; }
    std::uint32_t targets() const override { return E_; }
    const std::uint32_t* target_degrees() const override { return t_.data(); }
    std::uint32_t max_candidates() const override { return max_row_; }
    std::uint32_t row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const override;
    const std::int64_t* candidate_weights(std::uint32_t row) const override {
        return weights_.empty() ? nullptr : weights_.data() + offsets_[row];
    }
    void visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                    const VisitorFactory& make_visitor) const override;

private:
    std::uint32_t M_, E_;
    std::vector<std::uint64_t> offsets_;
    std::vector<std::uint32_t> targets_;
    std::vector<std::uint32_t> t_;
    std::vector<std::int64_t> weights_;  // empty: unweighted
    std::uint32_t max_row_ = 0;
};

}  // namespace phase_router

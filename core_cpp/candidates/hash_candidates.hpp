// The weighted keyed-hash router's targets as a candidate source: source i's candidates are
// c_i = min(s_i, P) distinct targets drawn in proportion to t_j (P: the targets with t_j > 0), by
// the weighted hash router's own rule and stream (docs/BASELINES.md), so every selection policy
// runs on hashed candidates as it runs on the phase construction's. A row is drawn whenever it is
// visited: the source keeps O(M + E) state, never the candidate pairs.
#pragma once
#include <cstdint>
#include <vector>

#include "candidates/candidate_source.hpp"
#include "common/weighted_draws.hpp"

namespace phase_router {

class HashCandidates final : public CandidateSource {
public:
    // s: M source degrees (<= E), t: E target degrees (the draw weights, and what relative loads
    // are measured against). Throws std::invalid_argument on M or E of 0 or s_i > E. Copies both.
    HashCandidates(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
                   std::uint64_t seed);

    std::uint32_t sources() const override { return M_; }
    std::uint32_t targets() const override { return E_; }
    const std::uint32_t* target_degrees() const override { return t_.data(); }
    std::uint32_t max_candidates() const override { return max_row_; }
    std::uint32_t row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const override;
    void visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                    const VisitorFactory& make_visitor) const override;

private:
    // Row `row`'s candidates, ascending, into out; `taken` is E zero bytes, left zero.
    void draw_row(std::uint32_t row, std::uint8_t* taken, std::uint32_t* out) const;

    std::uint32_t M_, E_;
    std::uint64_t key_;
    std::vector<std::uint32_t> counts_;   // c_i
    std::vector<std::uint32_t> t_;
    std::vector<std::uint32_t> positive_;  // the targets with t_j > 0, ascending: every row taking all of them
    WeightedRowDraws draws_;
    std::uint32_t max_row_ = 0;
};

}  // namespace phase_router

// Rows [begin, end) of another candidate source as a source of their own, numbered from 0: what a
// shard of a larger routing balances (routing/balanced_shards.py). Each row's candidates are the
// whole source's; only the numbering changes, so a policy keys its draws by first_row() + row to
// draw what the whole routing draws for these rows.
#pragma once
#include <cstdint>

#include "candidates/candidate_source.hpp"

namespace phase_router {

class RowRange final : public CandidateSource {
public:
    // Throws std::invalid_argument unless begin <= end <= whole.sources(). Holds a reference:
    // `whole` must outlive it.
    RowRange(const CandidateSource& whole, std::uint32_t begin, std::uint32_t end);

    std::uint32_t sources() const override { return end_ - begin_; }
    std::uint32_t targets() const override { return whole_.targets(); }
    const std::uint32_t* target_degrees() const override { return whole_.target_degrees(); }
    std::uint32_t max_candidates() const override { return whole_.max_candidates(); }
    std::uint32_t row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const override {
        return whole_.row_candidates(begin_ + row, scratch, out);
    }
    const std::int64_t* candidate_weights(std::uint32_t row) const override {
        return whole_.candidate_weights(begin_ + row);
    }
    void visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                    const VisitorFactory& make_visitor) const override;
    void visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                        const VisitorFactory& make_visitor) const override;

    std::uint32_t first_row() const { return begin_; }

private:
    const CandidateSource& whole_;
    std::uint32_t begin_, end_;
};

}  // namespace phase_router

#include "candidates/row_range.hpp"

#include <memory>
#include <stdexcept>

namespace phase_router {

namespace {

// Hands the whole source's rows on under the range's numbering.
class Renumbered final : public RowVisitor {
public:
    Renumbered(std::unique_ptr<RowVisitor> inner, std::uint32_t begin) : inner_(std::move(inner)), begin_(begin) {}

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        inner_->bitmap_row(row - begin_, words, word_count, candidate_count);
    }
    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        inner_->list_row(row - begin_, targets, candidate_count);
    }

private:
    std::unique_ptr<RowVisitor> inner_;
    std::uint32_t begin_;
};

}  // namespace

RowRange::RowRange(const CandidateSource& whole, std::uint32_t begin, std::uint32_t end)
    : whole_(whole), begin_(begin), end_(end) {
    if (begin > end || end > whole.sources()) throw std::invalid_argument("row range outside [0, M]");
}

void RowRange::visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                          const VisitorFactory& make_visitor) const {
    if (begin > end || end > sources()) throw std::invalid_argument("row range outside [0, M]");
    whole_.visit_rows(begin_ + begin, begin_ + end, threads, [&](int part) {
        return std::make_unique<Renumbered>(make_visitor(part), begin_);
    });
}

void RowRange::visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                              const VisitorFactory& make_visitor) const {
    std::vector<std::uint32_t> whole_rows(rows.size());
    for (std::size_t x = 0; x < rows.size(); ++x) whole_rows[x] = begin_ + rows[x];
    whole_.visit_row_list(whole_rows, threads, [&](int part) {
        return std::make_unique<Renumbered>(make_visitor(part), begin_);
    });
}

}  // namespace phase_router

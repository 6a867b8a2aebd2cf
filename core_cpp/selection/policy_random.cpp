#include "selection/policy_random.hpp"

#include <algorithm>
#include <memory>

#include "common/splitmix.hpp"
#include "selection/random.hpp"

namespace phase_router {

namespace {

class RandomSelector final : public RowVisitor {
public:
    RandomSelector(std::uint64_t select_key, std::uint32_t k, std::uint32_t begin, std::uint32_t max_candidates,
                   std::int32_t* out, SharedRouteTotals* totals)
        : select_key_(select_key), k_(k), begin_(begin), scratch_(max_candidates), out_(out), totals_(totals) {
        if (totals_ != nullptr) mine_ = RouteTotals(totals_->targets());
    }
    ~RandomSelector() override {
        if (totals_ == nullptr) return;
        if (pending_ != nullptr) mine_.add_row(pending_, pending_written_, k_);
        totals_->add(mine_);
    }

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        std::int32_t* routes = row_out(row);
        tally(routes, select_routes(words, word_count, candidate_count, k_, splitmix(select_key_, row), scratch_, routes));
    }

    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        std::int32_t* routes = row_out(row);
        if (candidate_count == 0) {
            std::fill(routes, routes + k_, -1);
            tally(routes, 0);
            return;
        }
        tally(routes, select_from_list(targets, candidate_count, k_, splitmix(select_key_, row), scratch_, routes));
    }

private:
    std::int32_t* row_out(std::uint32_t row) const { return out_ + std::size_t{row - begin_} * k_; }
    // A row is tallied when the next one has been written: reading a row back right after the
    // selection's wide vector stores would wait for each store to reach the cache (no store-to-load
    // forwarding from a 64-byte store to a 4-byte load).
    void tally(const std::int32_t* routes, std::uint32_t written) {
        if (totals_ == nullptr) return;
        if (pending_ != nullptr) mine_.add_row(pending_, pending_written_, k_);
        pending_ = routes;
        pending_written_ = written;
    }

    std::uint64_t select_key_;
    std::uint32_t k_, begin_;
    SelectScratch scratch_;
    std::int32_t* out_;
    SharedRouteTotals* totals_;
    RouteTotals mine_;
    const std::int32_t* pending_ = nullptr;  // the last row written, not yet tallied
    std::uint32_t pending_written_ = 0;
};

}  // namespace

void select_random(const CandidateSource& source, std::uint64_t seed, std::uint32_t k, std::uint32_t begin,
                   std::uint32_t end, int threads, std::int32_t* out, SharedRouteTotals* totals) {
    const std::uint64_t select_key = domain_key(seed, Domain::kSelect);
    // Scratch sized for the widest row: a bitmap row can hold up to E candidates.
    const std::uint32_t widest = std::max(source.max_candidates(), source.targets());
    source.visit_rows(begin, end, threads, [&](int) {
        return std::make_unique<RandomSelector>(select_key, k, begin, widest, out, totals);
    });
}

}  // namespace phase_router

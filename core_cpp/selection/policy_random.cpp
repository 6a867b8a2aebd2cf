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
                   std::int32_t* out)
        : select_key_(select_key), k_(k), begin_(begin), scratch_(max_candidates), out_(out) {}

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        select_routes(words, word_count, candidate_count, k_, splitmix(select_key_, row), scratch_, row_out(row));
    }

    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        if (candidate_count == 0) {
            std::fill(row_out(row), row_out(row) + k_, -1);
            return;
        }
        select_from_list(targets, candidate_count, k_, splitmix(select_key_, row), scratch_, row_out(row));
    }

private:
    std::int32_t* row_out(std::uint32_t row) const { return out_ + std::size_t{row - begin_} * k_; }

    std::uint64_t select_key_;
    std::uint32_t k_, begin_;
    SelectScratch scratch_;
    std::int32_t* out_;
};

}  // namespace

void select_random(const CandidateSource& source, std::uint64_t seed, std::uint32_t k, std::uint32_t begin,
                   std::uint32_t end, int threads, std::int32_t* out) {
    const std::uint64_t select_key = domain_key(seed, Domain::kSelect);
    // Scratch sized for the widest row: a bitmap row can hold up to E candidates.
    const std::uint32_t widest = std::max(source.max_candidates(), source.targets());
    source.visit_rows(begin, end, threads, [&](int) {
        return std::make_unique<RandomSelector>(select_key, k, begin, widest, out);
    });
}

}  // namespace phase_router

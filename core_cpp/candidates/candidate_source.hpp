// Step 6 as the selection stage sees it: each source row's candidate targets. A candidate
// source is anything that can list them; selection policies (core_cpp/selection/) take one and
// never ask how the candidates were found. The phase construction's Router (ring/router.hpp) is
// one; a mask of allowed pairs would be another.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/cancellation.hpp"
#include "common/parallel.hpp"

namespace phase_router {

// The largest candidate weight: sums of weights along a flow path stay far inside int64.
constexpr std::int64_t max_candidate_weight = std::int64_t{1} << 30;

// Receives rows from CandidateSource::visit_rows, each exactly once. A row's candidates come as
// a bitmap (bit j = target j) or as an ascending list of target ids, whichever the source has.
class RowVisitor {
public:
    virtual ~RowVisitor() = default;
    virtual void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                            std::uint32_t candidate_count) = 0;
    virtual void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) = 0;
};

// One visitor per worker thread (part `part` of `parts`), so visitors keep private scratch.
using VisitorFactory = std::function<std::unique_ptr<RowVisitor>(int part)>;

// Per-thread scratch for row_candidates.
struct CandidateScratch {
    std::vector<std::uint64_t> words;
};

class CandidateSource {
public:
    virtual ~CandidateSource() = default;
    virtual std::uint32_t sources() const = 0;  // M
    virtual std::uint32_t targets() const = 0;  // E
    // t_j: what a target's load is measured against (relative loads); t_j >= 1 for any target
    // that is some row's candidate.
    virtual const std::uint32_t* target_degrees() const = 0;
    // No row has more candidates than this.
    virtual std::uint32_t max_candidates() const = 0;

    // Row i's candidates in ascending target order into out (max_candidates() entries); returns
    // their count. Random access, for policies that visit rows in an order of their own.
    virtual std::uint32_t row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const = 0;

    // How much row i prefers each of its candidates, in row_candidates' order (larger: preferred,
    // 0 .. max_candidate_weight), or nullptr when the source weighs every candidate alike, as 1.
    // Only the objective "preference" of select="optimal" reads them.
    virtual const std::int64_t* candidate_weights(std::uint32_t row) const {
        (void)row;
        return nullptr;
    }

    // Every row of [begin, end) exactly once, in the source's cheapest order, split over `threads`
    // workers (0: all). Which worker sees which row never changes what a row-local policy writes.
    virtual void visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                            const VisitorFactory& make_visitor) const = 0;

    // Every row of `rows` (distinct row ids, any order) exactly once, in the source's cheapest
    // order, split over `threads` workers (0: all): for policies that revisit a scattered subset
    // of rows, where a source can share work between rows (the Router sweeps them in ring order).
    // This default lists each row by random access.
    virtual void visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                                const VisitorFactory& make_visitor) const {
        run_parallel(thread_count(threads), [&](int part, int parts) {
            const std::size_t first = part_begin(rows.size(), part, parts);
            const std::size_t last = part_begin(rows.size(), part + 1, parts);
            if (first == last) return;
            const auto visitor = make_visitor(part);
            CandidateScratch scratch;
            std::vector<std::uint32_t> candidates(max_candidates());
            for (std::size_t x = first; x < last; ++x) {
                throw_if_cancelled();
                const std::uint32_t count = row_candidates(rows[x], scratch, candidates.data());
                visitor->list_row(rows[x], candidates.data(), count);
            }
        });
    }
};

}  // namespace phase_router

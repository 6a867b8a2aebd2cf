// Rows [first, first + count) of the phase construction (docs/SPEC.md, steps 1-6) of a routing
// of M rows laid in input order, prepared from those rows' degrees, the degree sum of the rows
// before them and t alone: what one shard of a large routing holds. Its state is O(count + E)
// where the whole routing's Router holds O(M). Each row's candidates are enumerated along its
// S-arc, as ring/router.hpp's sparse strategy does (every strategy gives the same candidates);
// rows are numbered from 0, so a policy keys its draws by first + row.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "candidates/candidate_source.hpp"
#include "ring/source_arcs.hpp"
#include "ring/target_sweep.hpp"

namespace phase_router {

class PhaseWindow final : public CandidateSource {
public:
    // s: the count rows' degrees (each <= E); phase: (sum of the degrees of rows 0 .. first - 1)
    // mod E; t: E target degrees (each <= M). Throws std::invalid_argument on a bad shape.
    PhaseWindow(const std::uint32_t* s, std::uint32_t count, std::uint32_t first, std::uint32_t phase, std::uint32_t M,
                const std::uint32_t* t, std::uint32_t E, std::uint64_t seed);

    std::uint32_t sources() const override { return count_; }
    std::uint32_t targets() const override { return E_; }
    const std::uint32_t* target_degrees() const override { return t_.data(); }
    std::uint32_t max_candidates() const override { return max_degree_; }
    std::uint32_t row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const override;
    void visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                    const VisitorFactory& make_visitor) const override;

    void visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                        const VisitorFactory& make_visitor) const override;

    std::uint32_t first_row() const { return first_; }
    std::uint64_t memory_bytes() const;

private:
    bool dense(std::uint32_t row) const { return static_cast<double>(s_[row]) >= sparse_below_; }
    bool covers(std::uint32_t j, std::uint32_t q) const { return arc_covers(psi_[j], t_[j], M_, q); }
    std::uint32_t arc_candidates(std::uint32_t row, std::uint32_t* out) const;
    // The rows (local ids), the long ones swept in T-ring order, the others enumerated.
    void visit(std::vector<std::uint32_t> rows, int threads, const VisitorFactory& make_visitor) const;

    std::uint32_t count_, first_, M_, E_;
    std::vector<std::uint32_t> s_, t_;
    std::vector<std::uint32_t> phi_;             // phase offset of each row on the E-ring
    std::vector<std::uint32_t> ring_position_;   // pi_T of each row: its position on T's M-ring
    std::vector<std::uint32_t> position_owner_;  // pi_S^-1: the target at each S-ring position
    std::vector<std::uint32_t> psi_;             // where each target's arc starts on the M-ring
    // Targets whose arc starts or ends at a position (2 per target whose arc is neither empty nor
    // the whole ring), ascending by position: X changes only there.
    std::vector<std::uint32_t> event_position_, event_target_;
    std::unique_ptr<SourceArcs> arcs_;
    double sparse_below_ = 0;
    std::uint32_t max_degree_ = 0;
};

}  // namespace phase_router

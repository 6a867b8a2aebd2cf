// The phase construction (docs/SPEC.md) from degrees: s (M sources, each 0..E) and t (E targets,
// each 0..M). A Router does steps 1-5 once (permutations, phase offsets, prefix checkpoints, sweep
// events) and is then the candidate source of step 6 for any row, in any order: the selection
// policies (core_cpp/selection/) take it as a CandidateSource; selection/route_degrees.hpp is the
// spec's whole pipeline (this Router, then the random policy). No Python types here.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "candidates/candidate_source.hpp"
#include "ring/source_arcs.hpp"
#include "ring/target_sweep.hpp"

namespace phase_router {

// How a row's candidate set is found. Both give identical bits (tests check it).
//  dense:  S'_i from prefix bitmaps, AND with the swept set of covering targets: O(E/64) words.
//  sparse: enumerate the s_i targets on row i's arc and test T-arc membership in O(1) each,
//          then sort them: O(s_i log s_i). Cheaper when s_i << E/64.
//  auto:   per row, whichever the cost model (prefers_sparse) says is cheaper.
enum class Strategy : int { kAuto = 0, kDense = 1, kSparse = 2 };

struct RouteOptions {
    std::uint32_t k = 1;
    std::uint64_t seed = 0;
    bool row_perm = false;
    Strategy strategy = Strategy::kAuto;
    int threads = 0;  // 0: OpenMP's default; results never depend on it
    // Memory allowed for S's prefix checkpoints; larger E gets a coarser stride (same bits).
    std::uint64_t checkpoint_budget_bytes = SourceArcs::kDefaultBudgetBytes;
};

class Router final : public CandidateSource {
public:
    // Requires M >= 1, E >= 1 (both < 2^31), s[i] <= E, t[j] <= M, k >= 1; throws
    // std::invalid_argument otherwise. Copies s and t.
    Router(const std::uint32_t* s, std::uint32_t M, const std::uint32_t* t, std::uint32_t E,
           const RouteOptions& options);

    // CandidateSource (step 6).
    std::uint32_t sources() const override { return M_; }
    std::uint32_t targets() const override { return E_; }
    const std::uint32_t* target_degrees() const override { return t_.data(); }
    std::uint32_t max_candidates() const override { return max_degree_; }
    std::uint32_t row_candidates(std::uint32_t row, CandidateScratch& scratch, std::uint32_t* out) const override;
    void visit_rows(std::uint32_t begin, std::uint32_t end, int threads,
                    const VisitorFactory& make_visitor) const override;
    void visit_row_list(const std::vector<std::uint32_t>& rows, int threads,
                        const VisitorFactory& make_visitor) const override;

    std::uint32_t M() const { return M_; }
    std::uint32_t E() const { return E_; }
    std::uint32_t k() const { return options_.k; }
    std::uint64_t seed() const { return options_.seed; }
    bool row_is_sparse(std::uint32_t i) const { return degree_is_sparse(s_[i]); }
    // Inline: the visits ask it of every row, up to three times.
    bool degree_is_sparse(std::uint32_t degree) const {
        switch (options_.strategy) {
            case Strategy::kDense: return false;
            case Strategy::kSparse: return true;
            case Strategy::kAuto: break;
        }
        return static_cast<double>(degree) < sparse_below_;
    }
    std::uint64_t sparse_rows() const { return sparse_rows_; }
    // sum(t): the length of T's arcs laid end to end on the M-ring (how often they wrap it).
    std::uint64_t target_total() const { return target_total_; }
    // Bytes held beyond the inputs: checkpoints, permutations, offsets, events.
    std::uint64_t memory_bytes() const;
    std::uint32_t checkpoint_stride() const { return arcs_ ? arcs_->stride() : 0; }

private:
    void visit_split(const std::vector<std::uint32_t>& dense_positions, const std::vector<std::uint32_t>& sparse_rows,
                     const std::vector<std::uint32_t>& empty_rows, int threads, const VisitorFactory& make_visitor) const;
    // The dense rows at T-ring positions[0 .. count), ascending; positions == nullptr: every
    // position 0 .. count - 1.
    void visit_dense(const std::uint32_t* positions, std::size_t count, int threads,
                     const VisitorFactory& make_visitor) const;
    void visit_sparse(const std::vector<std::uint32_t>& rows, int threads, const VisitorFactory& make_visitor) const;
    // Row i's arc on the E-ring, position by position, keeping the targets whose T-arc covers
    // pi_T(i): the candidates, ascending. Returns their count.
    std::uint32_t arc_candidates(std::uint32_t i, std::uint32_t* out) const;

    std::uint32_t M_, E_;
    RouteOptions options_;
    std::vector<std::uint32_t> s_, t_;
    std::vector<std::uint32_t> phi_;             // phase offset of each source row on the E-ring
    std::vector<std::uint32_t> position_owner_;  // owner[c] = target at S-ring position c (pi_S^-1)
    std::vector<std::uint32_t> ring_position_;   // pi_T[i]: where source i sits on T's M-ring
    // What the dense sweep needs at each T-ring position, stored in ring order: the sweep walks
    // positions in order, and fetching s_i and phi_i from row-ordered arrays instead costs two
    // cache misses per row once M is large.
    struct AtPosition {
        std::uint32_t source, degree, phase;
    };
    std::vector<AtPosition> at_position_;
    std::unique_ptr<TargetSweep> sweep_;
    std::unique_ptr<SourceArcs> arcs_;           // only when some row is dense
    double sparse_below_ = 0;  // auto: rows with smaller degree go sparse
    std::uint32_t max_degree_ = 0;
    std::uint64_t sparse_rows_ = 0;
    std::uint64_t dense_rows_ = 0;  // non-empty rows the dense path takes
    std::uint64_t target_total_ = 0;
};

bool built_with_openmp();

}  // namespace phase_router

// Steps 1-4 for S, without the matrix (DESIGN-NOTES 2 and 4): after left-alignment, rotation by
// phi_i and the column permutation pi_S, row i of S' is { j : (pi_S(j) - phi_i) mod E < s_i },
// the targets whose permuted position lies on the arc [phi_i, phi_i + s_i) of the E-ring.
// With prefix bitmaps P_c = { j : pi_S(j) < c } that row is P_b \ P_a (or, when the arc wraps,
// complement(P_a) | P_{b-E}). Every `stride`-th P_c is stored and the rest are patched bit by
// bit. The stride is 64 unless that would take more than a memory budget (huge E), in which case
// it doubles until the checkpoints fit: memory ~ E^2 / (8 * stride) bytes.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

class SourceArcs {
public:
    static constexpr std::uint64_t kDefaultBudgetBytes = 64ULL << 20;

    // position_owner[c] = the target j with pi_S(j) = c (the inverse of pi_S); must outlive this.
    explicit SourceArcs(const std::vector<std::uint32_t>& position_owner,
                        std::uint64_t budget_bytes = kDefaultBudgetBytes);

    // The stride chosen for a ring of this size and budget (also used by the cost model).
    static std::uint32_t planned_stride(std::uint32_t ring, std::uint64_t budget_bytes = kDefaultBudgetBytes);

    std::uint32_t ring() const { return ring_; }
    std::size_t words() const { return words_; }
    std::uint32_t stride() const { return stride_; }
    std::uint64_t memory_bytes() const { return checkpoints_.size() * sizeof(std::uint64_t); }

    // Writes row S'_i, the arc [start, start + length) of the ring, as words() words.
    // Requires start < ring and 1 <= length <= ring.
    void row(std::uint32_t start, std::uint32_t length, std::uint64_t* out) const;

private:
    const std::uint64_t* checkpoint(std::uint32_t position) const {
        return checkpoints_.data() + static_cast<std::size_t>(position / stride_) * words_;
    }
    std::uint32_t base(std::uint32_t position) const { return position - position % stride_; }

    const std::vector<std::uint32_t>& owner_;
    std::uint32_t ring_;
    std::size_t words_;
    std::uint32_t stride_;
    std::vector<std::uint64_t> checkpoints_;  // P_0, P_stride, P_2*stride, ... each words_ long
};

}  // namespace phase_router

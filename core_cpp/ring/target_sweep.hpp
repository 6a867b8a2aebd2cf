// Steps 1-5 for T, without the matrix or the transpose (DESIGN-NOTES 3): source i meets the
// targets whose T-arc [psi_j, psi_j + t_j) on the M-ring covers position q = pi_T(i). Call that
// set X_q. Walking q upwards, X changes only where an arc starts or ends, so the sweep keeps one
// E-bit bitmap up to date with two bit flips per target over the whole ring.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

// Whether the arc [start, start + length) of a ring covers position q.
inline bool arc_covers(std::uint32_t start, std::uint32_t length, std::uint32_t ring, std::uint32_t q) {
    const std::uint32_t distance = q >= start ? q - start : q + (ring - start);
    return distance < length;
}

class TargetSweep {
public:
    TargetSweep(const std::uint32_t* t, std::vector<std::uint32_t> psi, std::uint32_t ring);

    std::size_t words() const { return words_; }

    // Writes X_q from scratch: O(E).
    void state_at(std::uint32_t q, std::uint64_t* x) const;

    // Turns X_from into X_to (from < to): flips the targets whose arc starts or ends at a
    // position in (from, to]. The events there are one contiguous run of the CSR arrays, so
    // jumping over positions costs only the events passed.
    void advance(std::uint32_t from, std::uint32_t to, std::uint64_t* x) const {
        for (std::uint32_t e = event_start_[from + 1]; e < event_start_[to + 1]; ++e) {
            x[event_target_[e] >> 6] ^= 1ULL << (event_target_[e] & 63);
        }
    }

    // Whether target j's arc covers ring position q, in O(1) (for sparse rows).
    bool covers(std::uint32_t j, std::uint32_t q) const { return arc_covers(psi_[j], t_[j], ring_, q); }

private:
    const std::uint32_t* t_;
    std::vector<std::uint32_t> psi_;
    std::uint32_t ring_;
    std::size_t targets_;
    std::size_t words_;
    std::vector<std::uint32_t> event_start_;   // CSR over ring positions, ring_ + 1 entries
    std::vector<std::uint32_t> event_target_;  // targets whose arc starts or ends there
};

}  // namespace phase_router

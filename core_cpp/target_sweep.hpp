// Steps 1-5 for T, without the matrix or the transpose (DESIGN-NOTES 3): source i meets the
// targets whose T-arc [psi_j, psi_j + t_j) on the M-ring covers position q = pi_T(i). Call that
// set X_q. Walking q upwards, X changes only where an arc starts or ends, so the sweep keeps one
// E-bit bitmap up to date with two bit flips per target over the whole ring.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

class TargetSweep {
public:
    TargetSweep(const std::uint32_t* t, std::vector<std::uint32_t> psi, std::uint32_t ring);

    std::size_t words() const { return words_; }

    // Writes X_q from scratch: O(E).
    void state_at(std::uint32_t q, std::uint64_t* x) const;

    // Turns X_{q-1} into X_q (q >= 1): flips the targets whose arc starts or ends at q.
    void advance_to(std::uint32_t q, std::uint64_t* x) const {
        for (std::uint32_t e = event_start_[q]; e < event_start_[q + 1]; ++e) {
            x[event_target_[e] >> 6] ^= 1ULL << (event_target_[e] & 63);
        }
    }

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

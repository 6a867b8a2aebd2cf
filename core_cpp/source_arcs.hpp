// Steps 1-4 for S, without the matrix (DESIGN-NOTES 2 and 4): after left-alignment, rotation by
// phi_i and the column permutation pi_S, row i of S' is { j : (pi_S(j) - phi_i) mod E < s_i },
// the targets whose permuted position lies on the arc [phi_i, phi_i + s_i) of the E-ring.
// With prefix bitmaps P_c = { j : pi_S(j) < c } that row is P_b \ P_a (or, when the arc wraps,
// complement(P_a) | P_{b-E}). Every 64th P_c is stored; the rest are patched in <= 63 bits.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

class SourceArcs {
public:
    // position_owner[c] = the target j with pi_S(j) = c (the inverse of pi_S).
    explicit SourceArcs(std::vector<std::uint32_t> position_owner);

    std::uint32_t ring() const { return ring_; }
    std::size_t words() const { return words_; }

    // Writes row S'_i, the arc [start, start + length) of the ring, as words() words.
    // Requires start < ring and length <= ring.
    void row(std::uint32_t start, std::uint32_t length, std::uint64_t* out) const;

private:
    const std::uint64_t* checkpoint(std::uint32_t position) const {
        return checkpoints_.data() + static_cast<std::size_t>(position / 64) * words_;
    }

    std::uint32_t ring_;
    std::size_t words_;
    std::vector<std::uint32_t> owner_;
    std::vector<std::uint64_t> checkpoints_;  // P_0, P_64, P_128, ... each words_ long
};

}  // namespace phase_router

#include "ring/target_sweep.hpp"

#include <algorithm>

#include "common/cancellation.hpp"
#include "common/bitops.hpp"

namespace phase_router {

TargetSweep::TargetSweep(const std::uint32_t* t, std::vector<std::uint32_t> psi, std::uint32_t ring)
    : t_(t), psi_(std::move(psi)), ring_(ring), targets_(psi_.size()), words_(words_for_bits(psi_.size())) {
    // Arcs of length 0 or the whole ring never change membership; every other arc enters at
    // psi_j and leaves at (psi_j + t_j) mod M, two distinct positions.
    event_start_.assign(static_cast<std::size_t>(ring_) + 1, 0);
    auto moving = [&](std::size_t j) { return t_[j] > 0 && t_[j] < ring_; };
    auto leave = [&](std::size_t j) {
        const std::uint64_t e = std::uint64_t{psi_[j]} + t_[j];
        return static_cast<std::uint32_t>(e >= ring_ ? e - ring_ : e);
    };
    for (std::size_t j = 0; j < targets_; ++j) {
        poll_cancel(j);
        if (!moving(j)) continue;
        ++event_start_[psi_[j] + 1];
        ++event_start_[leave(j) + 1];
    }
    for (std::uint32_t q = 0; q < ring_; ++q) event_start_[q + 1] += event_start_[q];
    event_target_.resize(event_start_[ring_]);
    std::vector<std::uint32_t> fill(event_start_.begin(), event_start_.end() - 1);
    for (std::size_t j = 0; j < targets_; ++j) {
        poll_cancel(j);
        if (!moving(j)) continue;
        event_target_[fill[psi_[j]]++] = static_cast<std::uint32_t>(j);
        event_target_[fill[leave(j)]++] = static_cast<std::uint32_t>(j);
    }
}

void TargetSweep::state_at(std::uint32_t q, std::uint64_t* x) const {
    std::fill(x, x + words_, 0);
    for (std::size_t j = 0; j < targets_; ++j) {
        poll_cancel(j);
        if (covers(static_cast<std::uint32_t>(j), q)) set_bit(x, j);
    }
}

}  // namespace phase_router

#include "ring/source_arcs.hpp"

#include <algorithm>

#include "common/cancellation.hpp"
#include "common/bitops.hpp"

namespace phase_router {

std::uint32_t SourceArcs::planned_stride(std::uint32_t ring, std::uint64_t budget_bytes) {
    const std::uint64_t words = words_for_bits(ring);
    std::uint64_t stride = 64;
    while (stride < ring && (ring / stride + 1) * words * sizeof(std::uint64_t) > budget_bytes) stride *= 2;
    return static_cast<std::uint32_t>(stride);
}

SourceArcs::SourceArcs(const std::vector<std::uint32_t>& position_owner, std::uint64_t budget_bytes)
    : owner_(position_owner),
      ring_(static_cast<std::uint32_t>(position_owner.size())),
      words_(words_for_bits(position_owner.size())),
      stride_(planned_stride(ring_, budget_bytes)) {
    const std::size_t stored = ring_ / stride_ + 1;
    checkpoints_.assign(stored * words_, 0);
    std::vector<std::uint64_t> prefix(words_, 0);
    for (std::uint32_t c = 0; c < ring_; ++c) {
        poll_cancel(c);
        set_bit(prefix.data(), owner_[c]);
        if ((c + 1) % stride_ == 0) {
            std::copy(prefix.begin(), prefix.end(), checkpoints_.begin() + ((c + 1) / stride_) * words_);
        }
    }
}

void SourceArcs::row(std::uint32_t start, std::uint32_t length, std::uint64_t* out) const {
    const std::uint64_t end = std::uint64_t{start} + length;
    const std::uint32_t a_base = base(start);
    const std::uint64_t* pa = checkpoint(start);
    if (length == ring_) {
        // The whole ring: every target (no checkpoint needed).
        std::fill(out, out + words_, ~0ULL);
        out[words_ - 1] &= tail_mask(ring_);
    } else if (end <= ring_) {
        // {j : a <= pi(j) < b} = P_b \ P_a. From the checkpoints {a_base <= pi < b_base},
        // add positions [b_base, b), then drop positions [a_base, a).
        const std::uint32_t b = static_cast<std::uint32_t>(end);
        const std::uint64_t* pb = checkpoint(b);
        for (std::size_t w = 0; w < words_; ++w) out[w] = pb[w] & ~pa[w];
        for (std::uint32_t c = base(b); c < b; ++c) set_bit(out, owner_[c]);
        for (std::uint32_t c = a_base; c < start; ++c) clear_bit(out, owner_[c]);
    } else {
        // Wrapping arc: {pi >= a} | {pi < b'} with b' = end - ring <= a. Start from
        // {pi >= a_base} | {pi < b'_base}, drop [a_base, a) first, then add [b'_base, b').
        const std::uint32_t b = static_cast<std::uint32_t>(end - ring_);
        const std::uint64_t* pb = checkpoint(b);
        for (std::size_t w = 0; w < words_; ++w) out[w] = ~pa[w] | pb[w];
        out[words_ - 1] &= tail_mask(ring_);
        for (std::uint32_t c = a_base; c < start; ++c) clear_bit(out, owner_[c]);
        for (std::uint32_t c = base(b); c < b; ++c) set_bit(out, owner_[c]);
    }
}

}  // namespace phase_router

#include "ring/phase_offsets.hpp"

#include "common/cancellation.hpp"

namespace phase_router {

std::vector<std::uint32_t> phase_offsets(const std::uint32_t* deg,
                                         const std::vector<std::uint32_t>& lay_order,
                                         std::uint32_t ring) {
    std::vector<std::uint32_t> offsets(lay_order.size());
    std::uint64_t acc = 0;  // always < ring
    std::uint64_t step = 0;
    for (const std::uint32_t row : lay_order) {
        poll_cancel(step++);
        offsets[row] = static_cast<std::uint32_t>(acc);
        acc += deg[row];  // deg <= ring, so one subtraction restores acc < ring
        if (acc >= ring) acc -= ring;
    }
    return offsets;
}

}  // namespace phase_router

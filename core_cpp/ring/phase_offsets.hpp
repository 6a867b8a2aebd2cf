// Step 2 of the spec: each row's arc starts at the cumulative degree of the rows laid before it,
// modulo the ring size. `lay_order` is the identity, or the optional row permutation.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

// offsets[lay_order[r]] = (deg[lay_order[0]] + ... + deg[lay_order[r-1]]) mod ring.
std::vector<std::uint32_t> phase_offsets(const std::uint32_t* deg,
                                         const std::vector<std::uint32_t>& lay_order,
                                         std::uint32_t ring);

}  // namespace phase_router

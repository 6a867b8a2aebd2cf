// Phase C of select="balanced" (docs/SPEC.md, "Balanced selection") on row bitmaps
// (selection/row_bitmaps.hpp): the same direct moves, layerings, searches and cap, so the same
// routes as selection/balanced_sweeps.cpp, which runs it on sorted lists when the bitmaps would
// take too much memory.
#pragma once
#include <cstdint>
#include <vector>

#include "selection/policy_balanced.hpp"
#include "selection/row_bitmaps.hpp"

namespace phase_router {

// spare[i] = c_i - r_i (a row is flexible when it is above 0); `bitmaps` hold every flexible
// row's routes and spare candidates and are updated in place, as is `load`; the rows of out
// (M x k, ascending, -1 padded) that moved are rewritten at the end. One thread: on a machine
// whose idle cores sleep, waking a worker for a step of phase C cost more than the step.
void level_sweeps_on_bitmaps(std::uint32_t k, std::int64_t goal, const std::vector<std::uint32_t>& spare,
                             RowBitmaps& bitmaps, std::vector<std::int64_t>& load, std::int32_t* out,
                             BalancedReport& report);

}  // namespace phase_router

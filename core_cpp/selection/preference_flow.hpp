// The objective "preference" of select="optimal": among all selections that keep r_i = min(k, c_i)
// of each row's candidates with target j taking at most caps[j] rows, one that keeps the most
// candidate weight. A minimum-cost flow, solved exactly by successive shortest paths:
//
//   start     every row keeps its r_i heaviest candidates (equal weights: lower target id first):
//             the most weight of all, but targets may be over their caps.
//   exchanges moving row i from a kept target j to an unkept candidate j' loses
//             delta = w_ij - w_ij' of weight. The exchange graph has the targets and a sink as
//             nodes; its arc j -> j' costs the least delta of any row that can make that move,
//             and j -> sink (cost 0) exists while j is under its cap. Target potentials keep
//             every reduced cost delta + pi(j) - pi(j') non-negative (all are 0 at the start,
//             where every kept candidate is at least as heavy as every unkept one).
//   repair    while a target is over its cap, Dijkstra from every such target (distance 0) finds
//             the cheapest chain of exchanges to a target with room; the rows on it move, one
//             route reaches the target with room, and the potentials grow by the distances
//             (capped at the chain's) so reduced costs stay non-negative. Each chain is a
//             shortest path, so the flow stays of least cost; when no target is over its cap, it
//             keeps the most weight within the caps.
//
// Every choice is fixed (docs/SPEC.md, "Optimal selection"): the cheapest row of an arc is the
// least (delta, row id); Dijkstra settles the least (distance, node id), the sink being node E;
// a node keeps the first arc that reached it at its distance, arcs relaxed in ascending target
// order and the sink last. So the routes, not only the kept weight, are the same everywhere;
// phase_router/reference/preference.py is the same procedure in Python.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

struct PreferenceResult {
    std::int64_t kept_weight = 0;     // sum of the kept candidates' weights
    std::uint64_t augmentations = 0;  // chains of exchanges moved (one route each)
    std::uint64_t exchanges = 0;      // moves a row could make at the start: sum of r_i (c_i - r_i)
};

// offsets (M + 1) / targets: each row's candidates ascending, weights alongside (empty: all 1);
// caps: E, feasible (some selection keeps r_i of every row within them: the caller proved it).
// Writes M x k routes (ascending, -1 padded) into out. Throws std::length_error when the rows
// could make more than max_exchanges moves at the start (the memory is ~32 bytes a move).
PreferenceResult keep_most_weight(const std::vector<std::uint64_t>& offsets, const std::vector<std::uint32_t>& targets,
                                  const std::vector<std::int64_t>& weights, std::uint32_t E, std::uint32_t k,
                                  const std::vector<std::int64_t>& caps, std::uint64_t max_exchanges,
                                  std::int32_t* out);

}  // namespace phase_router

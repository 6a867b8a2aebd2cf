// The exchange graph of a selection: an arc j -> v when some row routed to j has v among its
// unchosen candidates, so one route could move from j to v. A set of targets that no arc leaves
// keeps its total load under every selection reached by such moves, and under every selection
// at all (another selection differs by paths and cycles of moves), so its mean load, rounded up,
// bounds the optimum from below. The shards of a balanced routing report their graphs, whose
// union bounds the whole routing (routing/selection/balanced_shards.py).
#pragma once
#include <cstdint>
#include <vector>

#include "candidates/candidate_source.hpp"

namespace phase_router {

// E rows of words_for_bits(E) words each: row j holds the successors of j. routes: the source's
// M x k selection (ascending, -1 padded). The same for any thread count.
std::vector<std::uint64_t> exchange_graph(const CandidateSource& source, std::uint32_t k, const std::int32_t* routes,
                                          int threads);

}  // namespace phase_router

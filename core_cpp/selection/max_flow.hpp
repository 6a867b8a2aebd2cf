// Dinic's maximum flow with integer capacities, written so that its result is a pure function of
// the graph as built: edges are visited in the order they were added, levels by breadth-first
// search in that order, and augmenting paths one at a time by depth-first search with per-node
// current-arc pointers. No library algorithm whose choices could differ between machines is
// involved, so the flow (not only its value) is the same everywhere. phase_router/reference/
// max_flow.py is the same procedure in Python.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

class MaxFlow {
public:
    explicit MaxFlow(std::uint32_t nodes) : first_(static_cast<std::size_t>(nodes) + 1, 0) {}

    // Adds edge number `count()` (0, 1, ... in call order) with its reverse edge. Each node's
    // adjacency list holds its edges, forward and reverse, in creation order.
    void add_edge(std::uint32_t from, std::uint32_t to, std::int64_t capacity);
    std::uint64_t count() const { return pending_.size(); }
    // Builds the adjacency lists; no edge may be added after.
    void finish();

    // Capacities by creation number; reset() restores every residual to its capacity (no flow).
    void set_capacity(std::uint64_t edge, std::int64_t capacity) { capacity_[edge] = capacity; }
    void reset();
    // Flow on edge number `edge` (capacity minus residual).
    std::int64_t flow(std::uint64_t edge) const { return capacity_[edge] - cap_[forward_[edge]]; }

    // Maximum flow from source to sink, starting from the current residual capacities.
    std::int64_t run(std::uint32_t source, std::uint32_t sink);

private:
    bool levels(std::uint32_t source, std::uint32_t sink);
    std::int64_t augment(std::uint32_t source, std::uint32_t sink);

    struct Pending {
        std::uint32_t from, to;
        std::int64_t capacity;
    };
    std::vector<Pending> pending_;
    std::vector<std::uint32_t> first_;    // CSR: edges of node v are [first_[v], first_[v+1])
    std::vector<std::uint32_t> head_;     // edge -> head node
    std::vector<std::uint32_t> partner_;  // edge -> its reverse edge
    std::vector<std::int64_t> cap_;       // residual capacity
    std::vector<std::int32_t> level_;
    std::vector<std::uint32_t> arc_;      // current-arc pointer per node
    std::vector<std::int64_t> capacity_;  // by creation number
    std::vector<std::uint32_t> forward_;  // creation number -> position of the forward edge
    std::vector<std::uint32_t> queue_, stack_, path_;
};

}  // namespace phase_router

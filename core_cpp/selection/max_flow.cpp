#include "selection/max_flow.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "common/cancellation.hpp"

namespace phase_router {

void MaxFlow::add_edge(std::uint32_t from, std::uint32_t to, std::int64_t capacity) {
    pending_.push_back({from, to, capacity});
}

// Every node's list holds, in this order, the edges in the order add_edge created them that
// leave it (forward edges) or enter it (reverse edges), interleaved by creation order: an edge
// created k-th appears in both endpoint lists at its creation position.
void MaxFlow::finish() {
    const std::size_t nodes = first_.size() - 1;
    std::vector<std::uint32_t> degree(nodes, 0);
    for (const Pending& p : pending_) {
        if (p.from >= nodes || p.to >= nodes) throw std::invalid_argument("edge outside the graph");
        ++degree[p.from];
        ++degree[p.to];
    }
    first_[0] = 0;
    for (std::size_t v = 0; v < nodes; ++v) first_[v + 1] = first_[v] + degree[v];
    head_.assign(first_[nodes], 0);
    partner_.assign(first_[nodes], 0);
    cap_.assign(first_[nodes], 0);
    std::vector<std::uint32_t> fill(first_.begin(), first_.end() - 1);
    capacity_.resize(pending_.size());
    forward_.resize(pending_.size());
    for (std::size_t x = 0; x < pending_.size(); ++x) {
        poll_cancel(x);
        const Pending& p = pending_[x];
        const std::uint32_t forward = fill[p.from]++, backward = fill[p.to]++;
        capacity_[x] = p.capacity;
        forward_[x] = forward;
        head_[forward] = p.to;
        head_[backward] = p.from;
        partner_[forward] = backward;
        partner_[backward] = forward;
        cap_[forward] = p.capacity;
    }
    pending_.clear();
    pending_.shrink_to_fit();
    level_.assign(nodes, -1);
    arc_.assign(nodes, 0);
}

void MaxFlow::reset() {
    std::fill(cap_.begin(), cap_.end(), 0);
    for (std::size_t x = 0; x < forward_.size(); ++x) {
        poll_cancel(x);
        cap_[forward_[x]] = capacity_[x];
    }
}

bool MaxFlow::levels(std::uint32_t source, std::uint32_t sink) {
    std::fill(level_.begin(), level_.end(), -1);
    queue_.assign(1, source);
    level_[source] = 0;
    for (std::size_t x = 0; x < queue_.size(); ++x) {
        poll_cancel(x);
        const std::uint32_t v = queue_[x];
        for (std::uint32_t e = first_[v]; e < first_[v + 1]; ++e) {
            const std::uint32_t w = head_[e];
            if (cap_[e] > 0 && level_[w] < 0) {
                level_[w] = level_[v] + 1;
                queue_.push_back(w);
            }
        }
    }
    return level_[sink] >= 0;
}

// One augmenting path in the level graph, by depth-first search from the source with current-arc
// pointers; pushes its bottleneck and returns it (0: no path left in this phase).
std::int64_t MaxFlow::augment(std::uint32_t source, std::uint32_t sink) {
    std::vector<std::uint32_t>& stack = stack_;
    std::vector<std::uint32_t>& path = path_;
    stack.assign(1, source);
    path.clear();
    for (std::uint64_t step = 1; !stack.empty(); ++step) {
        poll_cancel(step);
        const std::uint32_t v = stack.back();
        if (v == sink) {
            std::int64_t bottleneck = std::numeric_limits<std::int64_t>::max();
            for (const std::uint32_t e : path) bottleneck = std::min(bottleneck, cap_[e]);
            for (const std::uint32_t e : path) {
                cap_[e] -= bottleneck;
                cap_[partner_[e]] += bottleneck;
            }
            return bottleneck;
        }
        bool advanced = false;
        for (; arc_[v] < first_[v + 1]; ++arc_[v]) {
            const std::uint32_t e = arc_[v], w = head_[e];
            if (cap_[e] > 0 && level_[w] == level_[v] + 1) {
                stack.push_back(w);
                path.push_back(e);
                advanced = true;
                break;
            }
        }
        if (!advanced) {  // dead end: never enter v again in this phase
            level_[v] = -1;
            stack.pop_back();
            if (!path.empty()) {
                path.pop_back();
                ++arc_[stack.back()];
            }
        }
    }
    return 0;
}

std::int64_t MaxFlow::run(std::uint32_t source, std::uint32_t sink) {
    std::int64_t total = 0;
    while (levels(source, sink)) {
        std::copy(first_.begin(), first_.end() - 1, arc_.begin());
        std::uint64_t paths = 0;
        for (std::int64_t pushed; (pushed = augment(source, sink)) > 0;) {
            total += pushed;
            poll_cancel(++paths);
        }
    }
    return total;
}

}  // namespace phase_router

#include "selection/preference_flow.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/cancellation.hpp"

namespace phase_router {

namespace {

constexpr std::int64_t unreached = std::numeric_limits<std::int64_t>::max();

// Row `row` can drop its kept pair `from` for its unkept pair `to`, losing `delta` of weight.
struct Exchange {
    std::int64_t delta;
    std::uint32_t row;
    std::uint64_t from, to;
};

// Heap order: the least (delta, row) on top; for one arc, (delta, row) fixes the pairs.
struct Later {
    bool operator()(const Exchange& a, const Exchange& b) const {
        return a.delta != b.delta ? a.delta > b.delta : a.row > b.row;
    }
};

class ExchangeGraph {
public:
    ExchangeGraph(const std::vector<std::uint64_t>& offsets, const std::vector<std::uint32_t>& targets,
                  const std::vector<std::int64_t>& weights, std::uint32_t E, std::uint32_t k,
                  const std::vector<std::int64_t>& caps, std::uint64_t max_exchanges)
        : offsets_(offsets), targets_(targets), weights_(weights), E_(E), M_(static_cast<std::uint32_t>(offsets.size() - 1)),
          caps_(caps), out_(E) {
        const std::uint64_t pairs = targets.size();
        kept_.assign(pairs, 0);
        load_.assign(E, 0);
        std::vector<std::uint64_t> order;
        for (std::uint32_t i = 0; i < M_; ++i) {
            poll_cancel(i);
            const std::uint64_t a = offsets[i], b = offsets[i + 1];
            // The r_i heaviest candidates; equal weights keep the lower target id (stable order).
            order.resize(b - a);
            std::iota(order.begin(), order.end(), a);
            std::stable_sort(order.begin(), order.end(), [&](std::uint64_t x, std::uint64_t y) { return weight(x) > weight(y); });
            const std::uint64_t r = std::min<std::uint64_t>(k, b - a);
            for (std::uint64_t x = 0; x < r; ++x) {
                kept_[order[x]] = 1;
                ++load_[targets[order[x]]];
            }
            exchanges_ += r * (b - a - r);
            if (exchanges_ > max_exchanges)
                throw std::length_error("the rows can make more than " + std::to_string(max_exchanges) +
                                        " exchanges, the most the objective preference handles");
        }
        for (std::uint32_t i = 0; i < M_; ++i) {
            poll_cancel(i);
            for (std::uint64_t p = offsets[i]; p < offsets[i + 1]; ++p)
                if (kept_[p])
                    for (std::uint64_t q = offsets[i]; q < offsets[i + 1]; ++q)
                        if (!kept_[q]) offer(i, p, q);
        }
        potential_.assign(std::size_t{E} + 1, 0);
        distance_.assign(std::size_t{E} + 1, unreached);
        settled_.assign(std::size_t{E} + 1, 0);
        has_via_.assign(E, 0);
        via_.resize(E);
    }

    std::uint64_t exchanges() const { return exchanges_; }

    // Moves one route along the cheapest chain of exchanges from a target over its cap to one
    // with room; false when no target is over its cap.
    bool repair_once() {
        const std::uint32_t sink = E_;
        for (std::uint32_t j = 0; j < E_; ++j)
            if (load_[j] > caps_[j]) {
                distance_[j] = 0;
                queue_.emplace_back(0, j);
            }
        if (queue_.empty()) return false;
        std::make_heap(queue_.begin(), queue_.end(), std::greater<>());
        std::uint32_t into_sink = 0;
        bool reached = false;
        while (!queue_.empty()) {
            std::pop_heap(queue_.begin(), queue_.end(), std::greater<>());
            const auto [d, u] = queue_.back();
            queue_.pop_back();
            if (settled_[u]) continue;
            settled_[u] = 1;
            settled_order_.push_back(u);
            if (u == sink) {
                reached = true;
                break;
            }
            for (const auto& [v, arc] : out_[u]) {
                if (settled_[v]) continue;
                const Exchange* cheapest = top(arc);
                if (cheapest == nullptr) continue;
                const std::int64_t nd = d + cheapest->delta + potential_[u] - potential_[v];
                if (nd < distance_[v]) {
                    distance_[v] = nd;
                    via_[v] = *cheapest;
                    has_via_[v] = 1;
                    queue_.emplace_back(nd, v);
                    std::push_heap(queue_.begin(), queue_.end(), std::greater<>());
                }
            }
            if (load_[u] < caps_[u]) {
                const std::int64_t nd = d + potential_[u] - potential_[sink];
                if (nd < distance_[sink]) {
                    distance_[sink] = nd;
                    into_sink = u;
                    queue_.emplace_back(nd, sink);
                    std::push_heap(queue_.begin(), queue_.end(), std::greater<>());
                }
            }
        }
        if (!reached) throw std::logic_error("select='optimal': no chain to a target with room under feasible caps");
        const std::int64_t chain = distance_[sink];
        for (const std::uint32_t v : settled_order_) potential_[v] += distance_[v] - chain;
        // The chain from its end: the target into the sink takes one more route; each exchange on
        // the way moves its row from the target before to the target after; the first target sheds one.
        std::uint32_t target = into_sink;
        ++load_[target];
        while (has_via_[target]) {
            const Exchange move = via_[target];
            make(move);
            target = targets_[move.from];
        }
        --load_[target];
        std::fill(distance_.begin(), distance_.end(), unreached);
        std::fill(settled_.begin(), settled_.end(), 0);
        std::fill(has_via_.begin(), has_via_.end(), 0);
        settled_order_.clear();
        queue_.clear();
        return true;
    }

    PreferenceResult write_routes(std::uint32_t k, std::int32_t* out) const {
        PreferenceResult result;
        for (std::uint32_t i = 0; i < M_; ++i) {
            std::int32_t* row = out + std::size_t{i} * k;
            std::uint32_t kept = 0;
            for (std::uint64_t p = offsets_[i]; p < offsets_[i + 1]; ++p)
                if (kept_[p]) {
                    row[kept++] = static_cast<std::int32_t>(targets_[p]);
                    result.kept_weight += weight(p);
                }
            std::fill(row + kept, row + k, -1);
        }
        return result;
    }

private:
    std::int64_t weight(std::uint64_t pair) const { return weights_.empty() ? 1 : weights_[pair]; }

    // Adds the exchange (row: kept pair `from` -> unkept pair `to`) to its arc's heap.
    void offer(std::uint32_t row, std::uint64_t from, std::uint64_t to) {
        const std::uint32_t j = targets_[from], v = targets_[to];
        const std::uint64_t key = std::uint64_t{j} * E_ + v;
        auto found = arc_of_.find(key);
        if (found == arc_of_.end()) {
            found = arc_of_.emplace(key, static_cast<std::uint32_t>(heaps_.size())).first;
            heaps_.emplace_back();
            auto& arcs = out_[j];  // kept in ascending order of v: the order arcs are relaxed in
            arcs.insert(std::upper_bound(arcs.begin(), arcs.end(), std::make_pair(v, std::uint32_t{0}),
                                         [](const auto& a, const auto& b) { return a.first < b.first; }),
                        std::make_pair(v, found->second));
        }
        auto& heap = heaps_[found->second];
        heap.push_back(Exchange{weight(from) - weight(to), row, from, to});
        std::push_heap(heap.begin(), heap.end(), Later());
    }

    // The arc's cheapest exchange a row can still make (entries made stale by moves are dropped).
    const Exchange* top(std::uint32_t arc) {
        auto& heap = heaps_[arc];
        while (!heap.empty() && !(kept_[heap.front().from] && !kept_[heap.front().to])) {
            std::pop_heap(heap.begin(), heap.end(), Later());
            heap.pop_back();
        }
        return heap.empty() ? nullptr : &heap.front();
    }

    // Row `move.row` drops `move.from` and keeps `move.to`; the exchanges this opens are offered:
    // from its new target to each unkept candidate, and into its old target from each kept one.
    void make(const Exchange& move) {
        kept_[move.from] = 0;
        kept_[move.to] = 1;
        const std::uint32_t i = move.row;
        for (std::uint64_t p = offsets_[i]; p < offsets_[i + 1]; ++p) {
            if (!kept_[p]) continue;
            if (p == move.to) {
                for (std::uint64_t q = offsets_[i]; q < offsets_[i + 1]; ++q)
                    if (!kept_[q]) offer(i, p, q);
            } else {
                offer(i, p, move.from);
            }
        }
    }

    const std::vector<std::uint64_t>& offsets_;
    const std::vector<std::uint32_t>& targets_;
    const std::vector<std::int64_t>& weights_;  // empty: every pair weighs 1
    std::uint32_t E_, M_;
    const std::vector<std::int64_t>& caps_;
    std::vector<std::uint8_t> kept_;
    std::vector<std::int64_t> load_;
    std::uint64_t exchanges_ = 0;
    // The exchange graph: arc (j, v) is heaps_[arc_of_[j E + v]]; out_[j] lists (v, arc) by v.
    std::unordered_map<std::uint64_t, std::uint32_t> arc_of_;
    std::vector<std::vector<Exchange>> heaps_;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> out_;
    // Dijkstra's state over the targets and the sink (node E).
    std::vector<std::int64_t> potential_, distance_;
    std::vector<std::uint8_t> settled_, has_via_;
    std::vector<Exchange> via_;
    std::vector<std::uint32_t> settled_order_;
    std::vector<std::pair<std::int64_t, std::uint32_t>> queue_;
};

}  // namespace

PreferenceResult keep_most_weight(const std::vector<std::uint64_t>& offsets, const std::vector<std::uint32_t>& targets,
                                  const std::vector<std::int64_t>& weights, std::uint32_t E, std::uint32_t k,
                                  const std::vector<std::int64_t>& caps, std::uint64_t max_exchanges,
                                  std::int32_t* out) {
    ExchangeGraph graph(offsets, targets, weights, E, k, caps, max_exchanges);
    std::uint64_t augmentations = 0;
    while (graph.repair_once()) {
        throw_if_cancelled();
        ++augmentations;
    }
    PreferenceResult result = graph.write_routes(k, out);
    result.augmentations = augmentations;
    result.exchanges = graph.exchanges();
    return result;
}

}  // namespace phase_router

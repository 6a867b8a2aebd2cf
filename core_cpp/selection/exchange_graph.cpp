#include "selection/exchange_graph.hpp"

#include <algorithm>
#include <memory>
#include <mutex>

#include "common/bitops.hpp"
#include "selection/route_row.hpp"

namespace phase_router {

namespace {

// One worker's graph: each row's unchosen candidates ORed into the rows of its routes' targets.
class ExchangeArcs final : public RowVisitor {
public:
    ExchangeArcs(std::uint32_t E, std::uint32_t k, const std::int32_t* routes, std::vector<std::uint64_t>* graph)
        : words_(words_for_bits(E)), k_(k), routes_(routes), graph_(*graph), chosen_(words_, 0), spare_(words_, 0) {}

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        const std::int32_t* routed = routes_ + std::size_t{row} * k_;
        const std::uint32_t r = route_count(routed, k_);
        if (candidate_count <= r) return;  // no unchosen candidate: no arc
        for (std::uint32_t x = 0; x < r; ++x) set_bit(chosen_.data(), static_cast<std::uint32_t>(routed[x]));
        const std::size_t n = std::min(word_count, words_);
        for (std::size_t w = 0; w < n; ++w) spare_[w] = words[w] & ~chosen_[w];
        add_arcs(routed, r, n);
        for (std::uint32_t x = 0; x < r; ++x) clear_bit(chosen_.data(), static_cast<std::uint32_t>(routed[x]));
    }

    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        const std::int32_t* routed = routes_ + std::size_t{row} * k_;
        const std::uint32_t r = route_count(routed, k_);
        if (candidate_count <= r) return;
        for (std::uint32_t x = 0; x < candidate_count; ++x) set_bit(spare_.data(), targets[x]);
        for (std::uint32_t x = 0; x < r; ++x) clear_bit(spare_.data(), static_cast<std::uint32_t>(routed[x]));
        add_arcs(routed, r, words_);
        for (std::uint32_t x = 0; x < candidate_count; ++x) clear_bit(spare_.data(), targets[x]);
    }

private:
    void add_arcs(const std::int32_t* routed, std::uint32_t r, std::size_t n) {
        for (std::uint32_t x = 0; x < r; ++x) {
            std::uint64_t* arcs = graph_.data() + static_cast<std::size_t>(routed[x]) * words_;
            for (std::size_t w = 0; w < n; ++w) arcs[w] |= spare_[w];
        }
    }

    std::size_t words_;
    std::uint32_t k_;
    const std::int32_t* routes_;
    std::vector<std::uint64_t>& graph_;
    std::vector<std::uint64_t> chosen_, spare_;
};

}  // namespace

std::vector<std::uint64_t> exchange_graph(const CandidateSource& source, std::uint32_t k, const std::int32_t* routes,
                                          int threads) {
    const std::uint32_t E = source.targets();
    const std::size_t size = std::size_t{E} * words_for_bits(E);
    std::mutex guard;
    std::vector<std::unique_ptr<std::vector<std::uint64_t>>> partial;  // one graph per worker
    source.visit_rows(0, source.sources(), threads, [&](int) {
        std::lock_guard<std::mutex> lock(guard);
        partial.push_back(std::make_unique<std::vector<std::uint64_t>>(size, 0));
        return std::make_unique<ExchangeArcs>(E, k, routes, partial.back().get());
    });
    std::vector<std::uint64_t> graph(size, 0);
    for (const auto& p : partial)
        for (std::size_t x = 0; x < size; ++x) graph[x] |= (*p)[x];
    return graph;
}

}  // namespace phase_router

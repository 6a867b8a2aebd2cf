// The (row, layer) pairs a sweep of balanced's phase C has entered (docs/SPEC.md, "Balanced
// selection"), for both of its stores (selection/balanced_sweeps.cpp, bitmap_sweeps.cpp). A row
// is entered per layer: from a target of layer d a search steps to layer d + 1 only, so having
// found nothing through a row from one layer says nothing of another. Layers below 64 are bits
// of a word per row, cleared lazily by a sweep number; deeper ones (rare: long shortest paths)
// go in a set.
#pragma once
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace phase_router {

class EnteredRows {
public:
    explicit EnteredRows(std::uint32_t rows) : sweep_of_(rows, 0), layers_(rows, 0) {}

    // Every pair leaves: a new sweep begins.
    void new_sweep() {
        ++sweep_;
        deep_.clear();
    }

    bool entered(std::uint32_t i, std::uint32_t layer) const {
        if (layer >= 64) return deep_.count(key(i, layer)) != 0;
        return sweep_of_[i] == sweep_ && ((layers_[i] >> layer) & 1) != 0;
    }

    void enter(std::uint32_t i, std::uint32_t layer) {
        if (layer >= 64) {
            deep_.insert(key(i, layer));
            return;
        }
        if (sweep_of_[i] != sweep_) {
            sweep_of_[i] = sweep_;
            layers_[i] = 0;
        }
        layers_[i] |= std::uint64_t{1} << layer;
    }

    void leave(std::uint32_t i, std::uint32_t layer) {
        if (layer >= 64) deep_.erase(key(i, layer));
        else layers_[i] &= ~(std::uint64_t{1} << layer);
    }

private:
    static std::uint64_t key(std::uint32_t i, std::uint32_t layer) { return (std::uint64_t{i} << 32) | layer; }

    std::uint32_t sweep_ = 1;  // sweep_of_ starts at 0: no row entered
    std::vector<std::uint32_t> sweep_of_;
    std::vector<std::uint64_t> layers_;  // bit d: entered from layer d in sweep sweep_of_[i]
    std::unordered_set<std::uint64_t> deep_;
};

}  // namespace phase_router

// Spare lists written by the balanced policy's phase A (selection/policy_balanced.cpp) while each
// row's candidates are at hand, for phase C (selection/balanced_sweeps.cpp) to read instead of
// asking the candidate source for those rows again. A row's spare list is its candidates that it
// does not route to, ascending. Only an optimisation: a row without a record is listed as before,
// and the list is the same either way.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace phase_router {

// One phase A worker's records: lists appended to one growing buffer, and which row each is.
class SpareRecord {
public:
    // Vector stores may write this many entries past a list's end (later lists overwrite them).
    static constexpr std::uint32_t kSlack = 64;

    explicit SpareRecord(std::uint64_t budget) : budget_(budget) {}

    // Room for a list of `count` entries (and kSlack past it), or nullptr once the budget is spent.
    std::uint32_t* reserve(std::uint32_t count) {
        if (size_ + count > budget_) return nullptr;
        const std::uint64_t needed = size_ + count + kSlack;
        if (needed > capacity_) {
            const std::uint64_t grown = std::max<std::uint64_t>(needed, capacity_ * 2);
            std::unique_ptr<std::uint32_t[]> bigger(new std::uint32_t[grown]);
            if (size_ > 0) std::memcpy(bigger.get(), entries_.get(), size_ * sizeof(std::uint32_t));
            entries_ = std::move(bigger);
            capacity_ = grown;
        }
        return entries_.get() + size_;
    }

    // The list just written at reserve()'s pointer is row `row`'s, `count` entries.
    void commit(std::uint32_t row, std::uint32_t count) {
        rows_.push_back({row, size_});
        size_ += count;
    }

    // Each recorded row with where its list starts; valid while this record lives.
    template <class Visit>
    void for_each(Visit visit) {
        for (const Entry& e : rows_) visit(e.row, entries_.get() + e.offset);
    }

private:
    struct Entry {
        std::uint32_t row;
        std::uint64_t offset;
    };
    std::uint64_t budget_;
    std::uint64_t size_ = 0, capacity_ = 0;
    std::unique_ptr<std::uint32_t[]> entries_;
    std::vector<Entry> rows_;
};

using SpareRecords = std::vector<std::unique_ptr<SpareRecord>>;

}  // namespace phase_router

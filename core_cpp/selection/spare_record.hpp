// Spare lists written by the balanced policy's phase A (selection/policy_balanced.cpp) while each
// row's candidates are at hand, for phase C (selection/balanced_sweeps.cpp) to read instead of
// asking the candidate source for those rows again. A row's spare list is its candidates that it
// does not route to, ascending. Only an optimisation: a row without a record is listed as before,
// and the list is the same either way.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace phase_router {

// Whether phase C keeps every row's spare list (`spare` entries in all, for `routes` routes): no
// more entries than routes or 2^22, whichever is more, and never more than 2^25. With `rows` of
// `of_rows` rows seen, the two constants are scaled to that share, so phase A can tell early
// whether its records will be read.
inline bool spare_lists_fit(std::uint64_t spare, std::uint64_t routes, std::uint64_t rows = 1,
                            std::uint64_t of_rows = 1) {
    const std::uint64_t floor = (std::uint64_t{1} << 22) * rows / of_rows;
    const std::uint64_t cap = (std::uint64_t{1} << 25) * rows / of_rows;
    return spare <= std::min(std::max(routes, floor), cap);
}

// One phase A worker's records: lists in blocks that never move, and which row each list is.
class SpareRecord {
public:
    // Vector stores may write this many entries past a list's end (later lists overwrite them).
    static constexpr std::uint32_t kSlack = 64;

    // Room for a list of `count` entries and kSlack past it.
    std::uint32_t* reserve(std::uint32_t count) {
        if (used_ + count + kSlack > block_size_) {
            block_size_ = std::max<std::uint64_t>(kBlock, std::uint64_t{count} + kSlack);
            blocks_.emplace_back(new std::uint32_t[block_size_]);
            used_ = 0;
        }
        return blocks_.back().get() + used_;
    }

    // The list just written at reserve()'s pointer is row `row`'s, `count` entries.
    void commit(std::uint32_t row, std::uint32_t count) {
        rows_.push_back({row, blocks_.back().get() + used_});
        used_ += count;
    }

    // Each recorded row with its list; valid while this record lives.
    template <class Visit>
    void for_each(Visit visit) const {
        for (const Entry& e : rows_) visit(e.row, e.list);
    }

private:
    static constexpr std::uint64_t kBlock = std::uint64_t{1} << 16;
    struct Entry {
        std::uint32_t row;
        std::uint32_t* list;
    };
    std::vector<std::unique_ptr<std::uint32_t[]>> blocks_;
    std::uint64_t block_size_ = 0, used_ = 0;
    std::vector<Entry> rows_;
};

using SpareRecords = std::vector<std::unique_ptr<SpareRecord>>;

}  // namespace phase_router

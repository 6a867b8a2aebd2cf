// What a routing's statistics need from its routes (routes per target, routes, rows with fewer
// than k routes, rows with none), tallied row by row as a kernel writes them: the row is still in
// L1 then, and no second pass over the M x k routes is needed. Header-only, so the spec's route
// library (which random selection belongs to) needs no other object file.
#pragma once
#include <cstdint>
#include <mutex>
#include <vector>

namespace phase_router {

struct RouteTotals {
    std::uint64_t active = 0;       // routes that are not -1
    std::uint64_t underfilled = 0;  // rows with fewer than k routes
    std::uint64_t empty_rows = 0;   // rows with no route at all
    std::vector<std::int64_t> loads;  // routes per target, E of them

    RouteTotals() = default;
    explicit RouteTotals(std::uint32_t E) : loads(E, 0) {}

    // One row whose first `written` slots (of k) hold its targets, each < E.
    void add_row(const std::int32_t* row, std::uint32_t written, std::uint32_t k) {
        std::int64_t* counts = loads.data();
        for (std::uint32_t x = 0; x < written; ++x) ++counts[static_cast<std::uint32_t>(row[x])];
        add_row_count(written, k);
    }

    // The row counts alone, for a caller that added the row's loads itself.
    void add_row_count(std::uint32_t written, std::uint32_t k) {
        active += written;
        underfilled += written < k ? 1 : 0;
        empty_rows += written == 0 ? 1 : 0;
    }

    void add(const RouteTotals& other) {
        active += other.active;
        underfilled += other.underfilled;
        empty_rows += other.empty_rows;
        for (std::size_t j = 0; j < other.loads.size() && j < loads.size(); ++j) loads[j] += other.loads[j];
    }
};

// The totals of one kernel call, which each worker tallies privately and adds once it is done.
class SharedRouteTotals {
public:
    explicit SharedRouteTotals(std::uint32_t E) : total_(E) {}
    std::uint32_t targets() const { return static_cast<std::uint32_t>(total_.loads.size()); }
    void add(const RouteTotals& part) {
        const std::lock_guard<std::mutex> lock(mutex_);
        total_.add(part);
    }
    RouteTotals& total() { return total_; }  // once every worker is done

private:
    std::mutex mutex_;
    RouteTotals total_;
};

}  // namespace phase_router

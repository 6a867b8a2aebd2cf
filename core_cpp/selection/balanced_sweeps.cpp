#include "selection/balanced_sweeps.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "common/bitops.hpp"
#include "common/cancellation.hpp"
#include "selection/route_row.hpp"

namespace phase_router {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The flexible rows (spare > 0) routed to each target, ascending: the only rows a path can pass
// through, since a row without spare candidates has nowhere to move a route. A sweep usually
// needs few targets' lists, so a list is built when first asked for, by a binary search of every
// flexible row: O(F log k). Once that has cost as much as indexing all their routes, the lists not
// yet built are built in one pass. Either way a list is the same, and so is every search.
// A sweep reads the lists as they were when it first asked for them (its positions in a list
// stay valid); the moves it makes are applied when it ends. That changes nothing it could see:
// a row whose routes a sweep moves was entered by that sweep, and no row is entered twice.
class FlexibleHolders {
public:
    FlexibleHolders(std::uint32_t M, std::uint32_t E, std::uint32_t k, const std::int32_t* out,
                    const std::vector<std::uint32_t>& spare, const std::vector<std::int64_t>& load)
        : k_(k), out_(out), load_(load), lists_(E), built_(E, 0) {
        for (std::uint32_t i = 0; i < M; ++i)
            if (spare[i] > 0) flexible_.push_back(i);
        unsigned log_k = 1;
        while ((1u << log_k) < k) ++log_k;
        lazy_budget_ = std::max<std::uint32_t>(1, k / (log_k + 1));
    }

    const std::vector<std::uint32_t>& flexible() const { return flexible_; }

    // When a sweep will ask for more lists than the lazy budget allows, all are built at once.
    void expect(std::uint32_t targets) {
        if (targets > lazy_budget_ - std::min(lazy_budget_, lazy_builds_)) build_rest();
    }

    const std::vector<std::uint32_t>& of(std::uint32_t j) {
        if (!built_[j]) {
            if (lazy_builds_ < lazy_budget_) build_one(j);
            else build_rest();
        }
        return lists_[j];
    }

    // Row i's route to `from` became a route to `to`.
    void moved(std::uint32_t i, std::uint32_t from, std::uint32_t to) {
        if (built_[from]) pending_.push_back({from, i, false});
        if (built_[to]) pending_.push_back({to, i, true});
    }

    // Applies the sweep's moves, one merge per target they touched.
    void end_sweep() {
        std::sort(pending_.begin(), pending_.end(), [](const Change& a, const Change& b) {
            return a.target != b.target ? a.target < b.target : a.row < b.row;
        });
        for (std::size_t p = 0; p < pending_.size();) {
            const std::uint32_t j = pending_[p].target;
            std::vector<std::uint32_t>& list = lists_[j];
            merged_.clear();
            std::size_t x = 0;
            for (; p < pending_.size() && pending_[p].target == j; ++p) {
                const Change& c = pending_[p];
                while (x < list.size() && list[x] < c.row) merged_.push_back(list[x++]);
                if (c.insert) merged_.push_back(c.row);
                else ++x;  // list[x] == c.row: the row that moved away
            }
            merged_.insert(merged_.end(), list.begin() + static_cast<std::ptrdiff_t>(x), list.end());
            list.swap(merged_);
        }
        pending_.clear();
    }

private:
    struct Change {
        std::uint32_t target, row;
        bool insert;
    };

    const std::uint32_t* row(std::uint32_t i) const { return unsigned_row(out_ + static_cast<std::size_t>(i) * k_); }

    void build_one(std::uint32_t j) {
        ++lazy_builds_;
        std::vector<std::uint32_t>& list = lists_[j];
        list.reserve(static_cast<std::size_t>(load_[j]));
        std::uint64_t n = 0;
        for (const std::uint32_t i : flexible_) {
            poll_cancel(++n);
            if (std::binary_search(row(i), row(i) + k_, j)) list.push_back(i);
        }
        built_[j] = 1;
    }

    void build_rest() {
        std::vector<std::uint8_t> fresh(built_.size(), 0);
        for (std::size_t j = 0; j < built_.size(); ++j) {
            fresh[j] = built_[j] ? 0 : 1;
            built_[j] = 1;
        }
        std::uint64_t n = 0;
        for (const std::uint32_t i : flexible_) {
            poll_cancel(++n);
            const std::uint32_t* r = row(i);
            for (std::uint32_t x = 0; x < k_ && r[x] != kNone; ++x)
                if (fresh[r[x]]) lists_[r[x]].push_back(i);
        }
    }

    std::uint32_t k_;
    const std::int32_t* out_;
    const std::vector<std::int64_t>& load_;
    std::vector<std::uint32_t> flexible_;
    std::vector<std::vector<std::uint32_t>> lists_;
    std::vector<std::uint8_t> built_;
    std::vector<Change> pending_;
    std::vector<std::uint32_t> merged_;
    std::uint32_t lazy_builds_ = 0, lazy_budget_ = 1;
};

// Each row's unchosen candidates, ascending. Listing a row's candidates costs O(E / 64) or
// O(s_i log s_i), so when all the spare lists together take no more memory than the routes (and
// at most 2^25 entries), a row's list is kept from its first listing and edited as its routes move.
class SpareLists {
public:
    SpareLists(const CandidateSource& source, std::uint32_t k, const std::int32_t* out,
               const std::vector<std::uint32_t>& spare)
        : source_(source), k_(k), out_(out), spare_(spare),
          candidates_(std::max<std::uint32_t>(source.max_candidates(), 1)) {
        std::uint64_t total = 0;
        for (const std::uint32_t n : spare) total += n;
        const std::uint64_t routes = static_cast<std::uint64_t>(spare.size()) * k;
        if (total <= std::min<std::uint64_t>(routes, std::uint64_t{1} << 25)) {
            offsets_.resize(spare.size() + 1, 0);
            for (std::size_t i = 0; i < spare.size(); ++i) offsets_[i + 1] = offsets_[i] + spare[i];
            kept_.resize(total);
            listed_.assign(spare.size(), 0);
        }
    }

    // Row i's spare list: kept, or listed into `buffer`.
    const std::uint32_t* of(std::uint32_t i, std::vector<std::uint32_t>& buffer) {
        if (offsets_.empty()) {
            buffer.resize(spare_[i]);
            list(i, buffer.data());
            return buffer.data();
        }
        std::uint32_t* kept = kept_.data() + offsets_[i];
        if (!listed_[i]) {
            list(i, kept);
            listed_[i] = 1;
        }
        return kept;
    }

    bool kept() const { return !offsets_.empty(); }

    // Lists `rows` now, together, in the source's cheapest order and on every thread (when kept).
    void list_all(const std::vector<std::uint32_t>& rows, int threads) {
        if (!kept()) return;
        source_.visit_row_list(rows, threads, [&](int) { return std::make_unique<Lister>(*this); });
        for (const std::uint32_t i : rows) listed_[i] = 1;
    }

    // Row i's route to `from` became a route to `to`: `to` leaves its spare list, `from` joins it.
    void moved(std::uint32_t i, std::uint32_t from, std::uint32_t to) {
        if (!offsets_.empty() && listed_[i]) replace_sorted(kept_.data() + offsets_[i], spare_[i], to, from);
    }

private:
    // Spare lists from rows as the source hands them over: candidates not among the routes.
    class Lister final : public RowVisitor {
    public:
        explicit Lister(SpareLists& lists) : lists_(lists) {}
        void bitmap_row(std::uint32_t i, const std::uint64_t* words, std::size_t word_count, std::uint32_t) override {
            Merge m(lists_, i);
            for (std::size_t x = 0; x < word_count; ++x)
                for (std::uint64_t bits = words[x]; bits; bits &= bits - 1)
                    m.add(static_cast<std::uint32_t>(x * 64 + static_cast<unsigned>(ctz64(bits))));
        }
        void list_row(std::uint32_t i, const std::uint32_t* targets, std::uint32_t count) override {
            Merge m(lists_, i);
            for (std::uint32_t x = 0; x < count; ++x) m.add(targets[x]);
        }

    private:
        SpareLists& lists_;
    };

    // Candidates of row i, ascending, in; the ones it does not route to, out.
    struct Merge {
        Merge(SpareLists& lists, std::uint32_t i)
            : row(unsigned_row(lists.out_ + static_cast<std::size_t>(i) * lists.k_)),
              r(route_count(lists.out_ + static_cast<std::size_t>(i) * lists.k_, lists.k_)),
              dst(lists.kept_.data() + lists.offsets_[i]) {}
        void add(std::uint32_t j) {
            while (y < r && row[y] < j) ++y;
            if (y < r && row[y] == j) return;
            dst[n++] = j;
        }
        const std::uint32_t* row;
        std::uint32_t r, y = 0, n = 0;
        std::uint32_t* dst;
    };

    void list(std::uint32_t i, std::uint32_t* dst) {
        const std::uint32_t c = source_.row_candidates(i, scratch_, candidates_.data());
        const std::uint32_t* row = unsigned_row(out_ + static_cast<std::size_t>(i) * k_);
        const std::uint32_t r = route_count(out_ + static_cast<std::size_t>(i) * k_, k_);
        std::uint32_t n = 0;
        for (std::uint32_t x = 0, y = 0; x < c; ++x) {
            const std::uint32_t j = candidates_[x];
            while (y < r && row[y] < j) ++y;
            if (y < r && row[y] == j) continue;
            dst[n++] = j;
        }
    }

    const CandidateSource& source_;
    std::uint32_t k_;
    const std::int32_t* out_;
    const std::vector<std::uint32_t>& spare_;
    CandidateScratch scratch_;
    std::vector<std::uint32_t> candidates_;
    std::vector<std::uint64_t> offsets_;  // empty: lists are not kept
    std::vector<std::uint32_t> kept_;
    std::vector<std::uint8_t> listed_;
};

class Sweeps {
public:
    Sweeps(const CandidateSource& source, std::uint32_t k, const std::vector<std::uint32_t>& spare,
           std::vector<std::int64_t>& load, std::int32_t* out, int threads)
        : threads_(threads), k_(k), out_(out), spare_(spare), load_(load), holders_(source.sources(), source.targets(), k, out, spare, load),
          spares_(source, k, out, spare), row_mark_(source.sources(), 0), target_mark_(source.targets(), 0),
          target_seen_(source.targets(), 0), target_arc_(source.targets(), 0) {}

    // Direct moves at cap lambda: each flexible row in ascending order, each of its routes (as the
    // row's turn starts, ascending) to a target above lambda, moved to the row's first unchosen
    // candidate below lambda, if any. Most of the excess usually goes this way, a row at a time
    // and without the per-target lists the sweeps need. Returns the moves.
    std::uint64_t direct_moves(std::int64_t lambda) {
        std::int64_t excess = 0;
        for (const std::int64_t L : load_) excess += std::max<std::int64_t>(0, L - lambda);
        if (excess == 0) return 0;
        const std::vector<std::uint32_t>& rows = holders_.flexible();
        if (static_cast<std::uint64_t>(excess) * 8 >= rows.size()) spares_.list_all(rows, threads_);
        std::uint64_t moves = 0;
        for (const std::uint32_t i : rows) {
            poll_cancel(i);
            std::int32_t* row = out_ + static_cast<std::size_t>(i) * k_;
            const std::uint32_t r = route_count(row, k_);
            turn_.clear();
            for (std::uint32_t x = 0; x < r; ++x)
                if (load_[static_cast<std::uint32_t>(row[x])] > lambda) turn_.push_back(static_cast<std::uint32_t>(row[x]));
            if (turn_.empty()) continue;
            const std::uint32_t* spare = spares_.of(i, buffer_);
            const bool own = spare == buffer_.data();
            for (const std::uint32_t j : turn_) {
                if (load_[j] <= lambda) continue;
                std::uint32_t x = 0;
                while (x < spare_[i] && load_[spare[x]] >= lambda) ++x;
                if (x == spare_[i]) break;  // no room left among this row's spare candidates
                const std::uint32_t to = spare[x];
                replace_sorted(row, r, static_cast<std::int32_t>(j), static_cast<std::int32_t>(to));
                if (own) replace_sorted(buffer_.data(), spare_[i], to, j);
                spares_.moved(i, j, to);
                holders_.moved(i, j, to);
                --load_[j];
                ++load_[to];
                ++moves;
                if (--excess == 0) return moves;
            }
        }
        return moves;
    }

    // One sweep at cap lambda: the paths it found.
    std::uint64_t sweep(std::int64_t lambda) {
        ++epoch_;
        std::uint64_t found = 0;
        std::uint32_t over = 0;
        for (const std::int64_t L : load_) over += L > lambda ? 1 : 0;
        holders_.expect(over);
        for (std::uint32_t j = 0; j < load_.size(); ++j) {
            if (load_[j] <= lambda) continue;
            throw_if_cancelled();
            enter_target(j);
            while (load_[j] > lambda && search(j, lambda)) ++found;
        }
        holders_.end_sweep();
        return found;
    }

    // After a sweep that found nothing: the targets it reached hold at least their present load
    // in any selection, so their mean load, rounded up, bounds the optimum from below.
    std::int64_t reached_mean() const {
        std::int64_t total = 0, count = 0;
        for (std::uint32_t j = 0; j < load_.size(); ++j) {
            if (target_seen_[j] != epoch_) continue;
            total += load_[j];
            ++count;
        }
        return count == 0 ? 0 : (total + count - 1) / count;
    }

private:
    // A target on the search stack, the flexible row routed to it being explored (kNone: pick the
    // next), and that row's spare list and how far into it the search has gone.
    struct Frame {
        std::uint32_t target, row;
        const std::uint32_t* spare;
        std::uint32_t spare_count, arc;
    };

    // A target on the stack or explored without success is not entered again in this sweep;
    // one on a path that was found may be. Its position in its list stands for the whole sweep:
    // the rows before it have been entered, and no row is entered twice.
    void enter_target(std::uint32_t j) {
        target_mark_[j] = epoch_;
        if (target_seen_[j] == epoch_) return;
        target_seen_[j] = epoch_;
        target_arc_[j] = 0;
    }

    bool search(std::uint32_t root, std::int64_t lambda) {
        frames_.assign(1, Frame{root, kNone, nullptr, 0, 0});
        std::uint64_t steps = 0;
        while (!frames_.empty()) {
            poll_cancel(++steps);
            const std::size_t depth = frames_.size() - 1;
            Frame& f = frames_.back();
            if (f.row == kNone) {
                const std::vector<std::uint32_t>& holders = holders_.of(f.target);
                std::uint32_t& a = target_arc_[f.target];
                while (a < holders.size() && row_mark_[holders[a]] == epoch_) ++a;
                if (a == holders.size()) {  // no path through this target
                    frames_.pop_back();
                    continue;
                }
                f.row = holders[a];
                row_mark_[f.row] = epoch_;
                if (buffers_.size() <= depth) buffers_.resize(depth + 1);
                f.spare = spares_.of(f.row, buffers_[depth]);
                f.spare_count = spare_[f.row];
                f.arc = 0;
                for (std::uint32_t x = 0; x < f.spare_count; ++x) {
                    if (load_[f.spare[x]] < lambda) {
                        augment(f.spare[x]);
                        return true;
                    }
                }
            }
            while (f.arc < f.spare_count && target_mark_[f.spare[f.arc]] == epoch_) ++f.arc;
            if (f.arc == f.spare_count) {  // no path through this row: the target's next row
                f.row = kNone;
                continue;
            }
            const std::uint32_t next = f.spare[f.arc++];
            enter_target(next);
            frames_.push_back(Frame{next, kNone, nullptr, 0, 0});
        }
        return false;
    }

    // Each frame's row moves its route from the frame's target to the next frame's target (the
    // last one to `end`).
    void augment(std::uint32_t end) {
        for (std::size_t d = 0; d < frames_.size(); ++d) {
            const std::uint32_t i = frames_[d].row, from = frames_[d].target;
            const std::uint32_t to = d + 1 < frames_.size() ? frames_[d + 1].target : end;
            std::int32_t* row = out_ + static_cast<std::size_t>(i) * k_;
            replace_sorted(row, route_count(row, k_), static_cast<std::int32_t>(from), static_cast<std::int32_t>(to));
            spares_.moved(i, from, to);
            holders_.moved(i, from, to);
            if (d > 0) target_mark_[from] = 0;
        }
        --load_[frames_.front().target];
        ++load_[end];
    }

    int threads_;
    std::uint32_t k_;
    std::int32_t* out_;
    const std::vector<std::uint32_t>& spare_;
    std::vector<std::int64_t>& load_;
    FlexibleHolders holders_;
    SpareLists spares_;
    std::vector<std::uint32_t> row_mark_, target_mark_, target_seen_, target_arc_;
    std::uint32_t epoch_ = 0;
    std::vector<Frame> frames_;
    std::vector<std::vector<std::uint32_t>> buffers_;  // a spare list per depth, when lists are not kept
    std::vector<std::uint32_t> buffer_, turn_;
};

}  // namespace

void level_sweeps(const CandidateSource& source, std::uint32_t k, std::int64_t goal,
                  const std::vector<std::uint32_t>& spare, std::vector<std::int64_t>& load, std::int32_t* out,
                  int threads, BalancedReport& report) {
    Sweeps sweeps(source, k, spare, load, out, threads);
    std::int64_t lambda = goal;
    report.direct_moves = sweeps.direct_moves(lambda);
    for (;;) {
        if (*std::max_element(load.begin(), load.end()) <= lambda) return;
        const std::uint64_t found = sweeps.sweep(lambda);
        ++report.sweeps;
        report.augmentations += found;
        if (found == 0) {
            lambda = std::max(lambda + 1, sweeps.reached_mean());
            report.proven_optimal = true;
        }
    }
}

}  // namespace phase_router

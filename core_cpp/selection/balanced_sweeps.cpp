#include "selection/balanced_sweeps.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "common/bitops.hpp"
#include "common/cancellation.hpp"
#include "common/parallel.hpp"
#include "selection/entered_rows.hpp"
#include "selection/route_row.hpp"

namespace phase_router {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The flexible rows (spare > 0) routed to each target, ascending: the only rows a path can pass
// through, since a row without spare candidates has nowhere to move a route. A sweep usually
// needs few targets' lists, so a list is built when first asked for, by a binary search of every
// flexible row: O(F log k). Once that has cost as much as indexing all their routes, the lists not
// yet built are built in one pass. Either way a list is the same, and so is every search.
// A sweep reads the lists as they were when it started (its layering asks for every list its
// searches read before any search moves a route), so its positions in a list stay valid; the
// moves it makes are applied when it ends, and its searches skip rows that no longer route to
// the target.
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
        if (built_[from]) pending_.push_back(change(from, i, false));
        if (built_[to]) pending_.push_back(change(to, i, true));
    }

    // Applies the sweep's moves, one merge per target they touched. A row can move into and out
    // of the same target within a sweep (it may be entered again after a path), so only each
    // (target, row) pair's net change counts: +1 joins the list, -1 leaves it.
    void end_sweep() {
        std::sort(pending_.begin(), pending_.end());  // by target, then row
        for (std::size_t p = 0; p < pending_.size();) {
            const std::uint32_t j = target_of(pending_[p]);
            std::vector<std::uint32_t>& list = lists_[j];
            merged_.clear();
            std::size_t x = 0;
            while (p < pending_.size() && target_of(pending_[p]) == j) {
                const std::uint32_t row = row_of(pending_[p]);
                int net = 0;
                for (; p < pending_.size() && target_of(pending_[p]) == j && row_of(pending_[p]) == row; ++p)
                    net += (pending_[p] & 1) ? 1 : -1;
                while (x < list.size() && list[x] < row) merged_.push_back(list[x++]);
                if (net > 0) merged_.push_back(row);
                else if (net < 0) ++x;  // list[x] == row: the row that moved away
            }
            merged_.insert(merged_.end(), list.begin() + static_cast<std::ptrdiff_t>(x), list.end());
            list.swap(merged_);
        }
        pending_.clear();
    }

private:
    // A change to a list, as one integer that sorts by target, then row: target, row, and
    // whether the row joins (1) or leaves (0).
    using Change = std::uint64_t;
    static Change change(std::uint32_t target, std::uint32_t row, bool insert) {
        return (std::uint64_t{target} << 33) | (std::uint64_t{row} << 1) | (insert ? 1 : 0);
    }
    static std::uint32_t target_of(Change c) { return static_cast<std::uint32_t>(c >> 33); }
    static std::uint32_t row_of(Change c) { return static_cast<std::uint32_t>(c >> 1); }

    const std::uint32_t* row(std::uint32_t i) const { return unsigned_row(out_ + static_cast<std::size_t>(i) * k_); }

    // What a list can hold at most: the target's load, or the flexible rows, whichever is fewer.
    // A shard's loads include the base load of the other shards (which may even be negative), so
    // the load alone is no bound there.
    std::size_t capacity(std::uint32_t j) const {
        return static_cast<std::size_t>(std::clamp<std::int64_t>(load_[j], 0, static_cast<std::int64_t>(flexible_.size())));
    }

    void build_one(std::uint32_t j) {
        ++lazy_builds_;
        std::vector<std::uint32_t>& list = lists_[j];
        list.reserve(capacity(j));
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
            if (fresh[j]) lists_[j].reserve(capacity(static_cast<std::uint32_t>(j)));
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

// A row's spare candidates (or the part of them a batch asked for), ascending.
struct SpareList {
    const std::uint32_t* targets;
    std::uint32_t count;
};

// Each row's unchosen candidates, ascending. Listing one row by random access costs O(E / 64) or
// O(s_i log s_i) and shares nothing with other rows, so rows are listed in batches where the
// source can share the work (ring order) and use every thread. When all the spare lists together
// take no more memory than the routes or 16 MiB (and at most 2^25 entries), a row's list is kept
// from its first listing (or from phase A's record of it) and edited as its routes move.
// Otherwise a batch holds, until the next one, only the spare candidates among the targets its
// caller names (those with room).
class SpareLists {
public:
    SpareLists(const CandidateSource& source, std::uint32_t k, const std::int32_t* out,
               const std::vector<std::uint32_t>& spare, SpareRecords records, int threads)
        : source_(source), k_(k), out_(out), spare_(spare), threads_(threads),
          candidates_(std::max<std::uint32_t>(source.max_candidates(), 1)) {
        std::uint64_t total = 0;
        for (const std::uint32_t n : spare) total += n;
        const std::uint64_t routes = static_cast<std::uint64_t>(spare.size()) * k;
        if (!spare_lists_fit(total, routes)) return;
        at_.assign(spare.size(), nullptr);
        listed_.assign(spare.size(), 0);
        for (const auto& record : records) {
            record->for_each([&](std::uint32_t i, std::uint32_t* list) {
                at_[i] = list;
                listed_[i] = 1;
            });
        }
        records_ = std::move(records);
        std::uint64_t unrecorded = 0;
        for (std::size_t i = 0; i < spare.size(); ++i) unrecorded += listed_[i] ? 0 : spare[i];
        kept_.reset(new std::uint32_t[std::max<std::uint64_t>(unrecorded, 1)]);
        std::uint64_t offset = 0;
        for (std::size_t i = 0; i < spare.size(); ++i) {
            if (listed_[i]) continue;
            at_[i] = kept_.get() + offset;
            offset += spare[i];
        }
    }

    bool kept() const { return !at_.empty(); }

    // Lists `rows` (ascending) together: whole and for good if lists are kept, else only their
    // candidates with bit j set in `among`, until the next batch.
    void list_batch(const std::vector<std::uint32_t>& rows, const std::vector<std::uint64_t>& among) {
        batch_rows_.clear();
        for (const std::uint32_t i : rows)
            if (!kept() || !listed_[i]) batch_rows_.push_back(i);
        among_ = kept() ? nullptr : among.data();
        if (!kept()) {
            batch_offsets_.assign(1, 0);
            for (const std::uint32_t i : batch_rows_) batch_offsets_.push_back(batch_offsets_.back() + spare_[i]);
            if (batch_.size() < batch_offsets_.back()) batch_.resize(batch_offsets_.back());
            batch_counts_.assign(batch_rows_.size(), 0);
        }
        const int parts = threads_for_batch(batch_rows_.size(), candidates_.size(), threads_);
        source_.visit_row_list(batch_rows_, parts, [&](int) { return std::make_unique<Lister>(*this); });
        if (kept()) {
            for (const std::uint32_t i : batch_rows_) listed_[i] = 1;
            batch_rows_.clear();
        }
    }

    void drop_batch() { batch_rows_.clear(); }

    // Row i's spare list: kept, or as its batch listed it, or else listed whole into `buffer`.
    SpareList of(std::uint32_t i, std::vector<std::uint32_t>& buffer) {
        if (kept()) {
            std::uint32_t* kept = at_[i];
            if (!listed_[i]) {
                list(i, kept);
                listed_[i] = 1;
            }
            return {kept, spare_[i]};
        }
        const std::size_t b = batch_index(i);
        if (b != kNotInBatch) return {batch_.data() + batch_offsets_[b], batch_counts_[b]};
        buffer.resize(spare_[i]);
        list(i, buffer.data());
        return {buffer.data(), spare_[i]};
    }

    // Row i's route to `from` became a route to `to`: `to` leaves its kept list, `from` joins it.
    void moved(std::uint32_t i, std::uint32_t from, std::uint32_t to) {
        if (kept() && listed_[i]) replace_sorted(at_[i], spare_[i], to, from);
    }

    // Row i's routes `taken` (ascending) left its kept list and `dropped` (ascending) joined it.
    void exchanged(std::uint32_t i, const std::vector<std::uint32_t>& taken, const std::vector<std::uint32_t>& dropped) {
        if (kept() && listed_[i]) exchange_sorted(at_[i], spare_[i], taken, dropped);
    }

private:
    static constexpr std::size_t kNotInBatch = ~std::size_t{0};

    std::size_t batch_index(std::uint32_t i) const {
        const auto at = std::lower_bound(batch_rows_.begin(), batch_rows_.end(), i);
        return at == batch_rows_.end() || *at != i ? kNotInBatch : static_cast<std::size_t>(at - batch_rows_.begin());
    }

    // Spare lists from rows as the source hands them over: candidates not among the routes (and
    // among the batch's targets, when it names some).
    class Lister final : public RowVisitor {
    public:
        explicit Lister(SpareLists& lists) : lists_(lists), chosen_(words_for_bits(lists.source_.targets()) + 1, 0) {}
        // A row with many more candidates than routes marks its routes in a bitmap and visits only
        // the spare bits (2 r steps instead of c_i); one with about as many merges its routes with
        // its candidates (c_i steps instead of 2 r). The list is the same either way.
        void bitmap_row(std::uint32_t i, const std::uint64_t* words, std::size_t word_count,
                        std::uint32_t candidate_count) override {
            const std::int32_t* row = lists_.out_ + static_cast<std::size_t>(i) * lists_.k_;
            const std::uint32_t r = route_count(row, lists_.k_);
            if (2 * r >= candidate_count) {
                merge_row(i, words, word_count);
                return;
            }
            for (std::uint32_t x = 0; x < r; ++x) set_bit(chosen_.data(), static_cast<std::uint32_t>(row[x]));
            std::uint32_t* dst = lists_.destination(i);
            std::uint32_t n = 0;
            const std::uint64_t* among = lists_.among_;
            const std::size_t count = std::min(word_count, chosen_.size());
            for (std::size_t x = 0; x < count; ++x)
                for (std::uint64_t bits = (among ? words[x] & among[x] : words[x]) & ~chosen_[x]; bits; bits &= bits - 1)
                    dst[n++] = static_cast<std::uint32_t>(x * 64 + static_cast<unsigned>(ctz64(bits)));
            for (std::uint32_t x = 0; x < r; ++x) clear_bit(chosen_.data(), static_cast<std::uint32_t>(row[x]));
            lists_.close_count(i, n);
        }
        void merge_row(std::uint32_t i, const std::uint64_t* words, std::size_t word_count) {
            Merge m = lists_.merge_for(i);
            const std::uint64_t* among = lists_.among_;
            for (std::size_t x = 0; x < word_count; ++x)
                for (std::uint64_t bits = among ? words[x] & among[x] : words[x]; bits; bits &= bits - 1)
                    m.add(static_cast<std::uint32_t>(x * 64 + static_cast<unsigned>(ctz64(bits))));
            lists_.close(i, m);
        }
        void list_row(std::uint32_t i, const std::uint32_t* targets, std::uint32_t count) override {
            Merge m = lists_.merge_for(i);
            const std::uint64_t* among = lists_.among_;
            for (std::uint32_t x = 0; x < count; ++x)
                if (!among || ((among[targets[x] >> 6] >> (targets[x] & 63)) & 1)) m.add(targets[x]);
            lists_.close(i, m);
        }

    private:
        SpareLists& lists_;
        std::vector<std::uint64_t> chosen_;  // all clear between rows
    };

    // Candidates of row i, ascending, in; the ones it does not route to, out.
    struct Merge {
        Merge(const SpareLists& lists, std::uint32_t i, std::uint32_t* out)
            : row(unsigned_row(lists.out_ + static_cast<std::size_t>(i) * lists.k_)),
              r(route_count(lists.out_ + static_cast<std::size_t>(i) * lists.k_, lists.k_)), dst(out) {}
        void add(std::uint32_t j) {
            while (y < r && row[y] < j) ++y;
            if (y < r && row[y] == j) return;
            dst[n++] = j;
        }
        const std::uint32_t* row;
        std::uint32_t r, y = 0, n = 0;
        std::uint32_t* dst;
    };

    Merge merge_for(std::uint32_t i) {
        if (kept()) return Merge(*this, i, at_[i]);
        return Merge(*this, i, batch_.data() + batch_offsets_[batch_index(i)]);
    }

    void close(std::uint32_t i, const Merge& m) { close_count(i, m.n); }

    void close_count(std::uint32_t i, std::uint32_t n) {
        if (!kept()) batch_counts_[batch_index(i)] = n;
    }

    // Where row i's list goes: its kept list, or its place in the batch.
    std::uint32_t* destination(std::uint32_t i) {
        return kept() ? at_[i] : batch_.data() + batch_offsets_[batch_index(i)];
    }

    void list(std::uint32_t i, std::uint32_t* dst) {
        const std::uint32_t c = source_.row_candidates(i, scratch_, candidates_.data());
        Merge m(*this, i, dst);
        for (std::uint32_t x = 0; x < c; ++x) m.add(candidates_[x]);
    }

    const CandidateSource& source_;
    std::uint32_t k_;
    const std::int32_t* out_;
    const std::vector<std::uint32_t>& spare_;
    int threads_;
    CandidateScratch scratch_;
    std::vector<std::uint32_t> candidates_;
    std::vector<std::uint32_t*> at_;  // where each row's kept list is; empty: lists are not kept
    SpareRecords records_;  // the lists phase A recorded
    std::unique_ptr<std::uint32_t[]> kept_;  // the other rows' lists
    std::vector<std::uint8_t> listed_;
    std::vector<std::uint32_t> batch_rows_, batch_, batch_counts_;
    std::vector<std::uint64_t> batch_offsets_;
    const std::uint64_t* among_ = nullptr;
};

class Sweeps {
public:
    Sweeps(const CandidateSource& source, std::uint32_t k, const std::vector<std::uint32_t>& spare,
           SpareRecords records, std::vector<std::int64_t>& load, std::int32_t* out, int threads)
        : k_(k), out_(out), spare_(spare), load_(load), holders_(source.sources(), source.targets(), k, out, spare, load),
          spares_(source, k, out, spare, std::move(records), threads), room_(words_for_bits(source.targets()) + 1, 0),
          entered_(source.sources()), target_mark_(source.targets(), 0),
          target_seen_(source.targets(), 0), target_arc_(source.targets(), 0), layer_row_(source.sources(), 0),
          layer_epoch_(source.targets(), 0), dist_(source.targets(), 0), via_row_(source.targets(), 0),
          via_target_(source.targets(), 0) {}

    // Direct moves at cap lambda: each flexible row in ascending order, each of its routes (as the
    // row's turn starts, ascending) to a target above lambda, moved to the row's first unchosen
    // candidate below lambda, if any. Most of the excess usually goes this way, a row at a time
    // and without the per-target lists the sweeps need. The rows are listed in batches of
    // doubling size (so a little excess costs little): no load rises above lambda here, so a row
    // without a route above lambda when its batch is gathered has none at its turn either.
    // Returns the moves.
    std::uint64_t direct_moves(std::int64_t lambda) {
        std::int64_t excess = 0;
        for (const std::int64_t L : load_) excess += std::max<std::int64_t>(0, L - lambda);
        const std::vector<std::uint32_t>& rows = holders_.flexible();
        std::uint64_t moves = 0;
        std::size_t next = 0, batch_size = 16;
        while (excess > 0 && next < rows.size()) {
            batch_rows_.clear();
            std::uint64_t batch_spare = 0;  // bounds the batch's memory: 2^20 entries
            while (next < rows.size() && batch_rows_.size() < batch_size && batch_spare < (1u << 20)) {
                const std::uint32_t i = rows[next++];
                poll_cancel(next);
                const std::int32_t* row = out_ + static_cast<std::size_t>(i) * k_;
                for (std::uint32_t x = 0; x < k_ && row[x] >= 0; ++x) {
                    if (load_[static_cast<std::uint32_t>(row[x])] > lambda) {
                        batch_rows_.push_back(i);
                        batch_spare += spare_[i];
                        break;
                    }
                }
            }
            batch_size = std::min<std::size_t>(batch_size * 2, 4096);
            // Room now is a superset of room at any later turn in the batch: no load falls below lambda here.
            std::fill(room_.begin(), room_.end(), 0);
            for (std::uint32_t j = 0; j < load_.size(); ++j)
                if (load_[j] < lambda) room_[j >> 6] |= std::uint64_t{1} << (j & 63);
            spares_.list_batch(batch_rows_, room_);
            for (const std::uint32_t i : batch_rows_) {
                moves += row_moves(i, lambda, excess);
                if (excess == 0) break;
            }
        }
        spares_.drop_batch();
        return moves;
    }

    // Row i's direct moves; `excess` counts down. Within a turn, a spare candidate passed over
    // stays at or above lambda (loads below it only rise), so one cursor walks the spare list;
    // the row and its list are rewritten once, at the end.
    std::uint64_t row_moves(std::uint32_t i, std::int64_t lambda, std::int64_t& excess) {
        std::int32_t* row = out_ + static_cast<std::size_t>(i) * k_;
        const std::uint32_t r = route_count(row, k_);
        const SpareList list = spares_.of(i, buffer_);
        const std::uint32_t* spare = list.targets;
        const std::uint32_t n = list.count;
        // During the turn only the row's own moves change loads, and a target is among its
        // routes or its spare candidates, not both: each spare candidate below lambda as the turn
        // starts takes one route, and every route above lambda stays above until it moves. So
        // the turn moves as many routes as the smaller count. A row with fewer spare candidates
        // than routes counts its room first and reads its routes only as far as that takes.
        std::uint32_t room = r;
        if (n < r) {
            room = 0;
            for (std::uint32_t x = 0; x < n; ++x) room += load_[spare[x]] < lambda ? 1 : 0;
            if (room == 0) return 0;
        }
        turn_.clear();
        for (std::uint32_t x = 0; x < r && turn_.size() < room; ++x)
            if (load_[static_cast<std::uint32_t>(row[x])] > lambda) turn_.push_back(static_cast<std::uint32_t>(row[x]));
        if (turn_.empty()) return 0;
        dropped_.clear();
        taken_.clear();
        std::uint32_t x = 0;
        for (const std::uint32_t j : turn_) {
            if (load_[j] <= lambda) continue;
            while (x < n && load_[spare[x]] >= lambda) ++x;
            if (x == n) break;  // no room left among this row's spare candidates
            const std::uint32_t to = spare[x++];
            dropped_.push_back(j);
            taken_.push_back(to);
            holders_.moved(i, j, to);
            --load_[j];
            ++load_[to];
            if (--excess == 0) break;
        }
        if (taken_.empty()) return 0;
        // Both lists are ascending: the turn's routes, and the cursor's spare candidates.
        exchange_sorted(reinterpret_cast<std::uint32_t*>(row), r, dropped_, taken_);
        spares_.exchanged(i, taken_, dropped_);
        return taken_.size();
    }

    // One sweep at cap lambda: the paths it found. The layers first: each target's distance
    // from the targets above lambda (in targets, along target -> flexible row routed to it ->
    // that row's spare candidate), up to the first distance D at which a target has room. Then
    // depth-first searches that only step one layer deeper, so every path is a shortest one and
    // a sweep finds a whole layer's worth of them.
    std::uint64_t sweep(std::int64_t lambda) {
        ++epoch_;
        std::uint32_t over = 0;
        for (const std::int64_t L : load_) over += L > lambda ? 1 : 0;
        holders_.expect(over);
        std::uint64_t found = 0;
        entered_.new_sweep();
        // A layering reads the spare lists of most flexible rows: kept lists are listed together.
        if (spares_.kept()) spares_.list_batch(holders_.flexible(), room_);
        if (layer(lambda)) {
            for (std::uint32_t j = 0; j < load_.size(); ++j) {
                if (load_[j] <= lambda) continue;
                throw_if_cancelled();
                enter_target(j);
                while (load_[j] > lambda && search(j, lambda)) ++found;
            }
            // A path moves routes, and a moved route can give a row a step it lacked when a
            // search found nothing through it, so the searches may miss every path; the
            // layering's own tree still holds one. So a sweep always makes progress, and only a
            // layering without room raises the cap.
            if (found == 0) {
                augment_along_layers(first_room_);
                found = 1;
            }
        }
        holders_.end_sweep();
        return found;
    }

    // Breadth first from every target above lambda; true if some target has room (D is set).
    bool layer(std::int64_t lambda) {
        queue_.clear();
        for (std::uint32_t j = 0; j < load_.size(); ++j) {
            if (load_[j] <= lambda) continue;
            label(j, 0);
        }
        room_layer_ = kNone;
        std::uint64_t steps = 0;
        for (std::size_t head = 0; head < queue_.size(); ++head) {
            const std::uint32_t j = queue_[head];
            if (room_layer_ != kNone && dist_[j] >= room_layer_) break;  // D's layer is complete
            for (const std::uint32_t i : holders_.of(j)) {
                poll_cancel(++steps);
                if (layer_row_[i] == epoch_) continue;
                layer_row_[i] = epoch_;
                const SpareList list = spares_.of(i, layer_buffer_);
                for (std::uint32_t x = 0; x < list.count; ++x) {
                    const std::uint32_t next = list.targets[x];
                    if (layer_epoch_[next] == epoch_) continue;
                    label(next, dist_[j] + 1);
                    via_row_[next] = i;
                    via_target_[next] = j;
                    if (load_[next] < lambda && room_layer_ == kNone) {
                        room_layer_ = dist_[j] + 1;
                        first_room_ = next;
                    }
                }
            }
        }
        return room_layer_ != kNone;
    }

    void label(std::uint32_t j, std::uint32_t dist) {
        layer_epoch_[j] = epoch_;
        dist_[j] = dist;
        queue_.push_back(j);
    }

    // Row i's route to `from` becomes a route to `to` (loads are the caller's).
    void move_route(std::uint32_t i, std::uint32_t from, std::uint32_t to) {
        std::int32_t* row = out_ + static_cast<std::size_t>(i) * k_;
        replace_sorted(row, route_count(row, k_), static_cast<std::int32_t>(from), static_cast<std::int32_t>(to));
        spares_.moved(i, from, to);
        holders_.moved(i, from, to);
    }

    // The chain by which the layering first labelled `end`: each labelled target's row moves its
    // route from the target that row was reached from to the labelled one.
    void augment_along_layers(std::uint32_t end) {
        std::uint32_t to = end;
        while (dist_[to] > 0) {
            const std::uint32_t from = via_target_[to];
            move_route(via_row_[to], from, to);
            to = from;
        }
        --load_[to];
        ++load_[end];
    }

    // A step from target `from` to `to` stays on a shortest path.
    bool next_layer(std::uint32_t from, std::uint32_t to) const {
        return layer_epoch_[to] == epoch_ && dist_[to] == dist_[from] + 1;
    }

    // After a sweep that found nothing: the targets it reached hold at least their present load
    // in any selection, so their mean load, rounded up, bounds the optimum from below.
    std::int64_t reached_mean() const {
        std::int64_t total = 0, count = 0;
        for (std::uint32_t j = 0; j < load_.size(); ++j) {
            if (layer_epoch_[j] != epoch_) continue;
            total += load_[j];
            ++count;
        }
        return count == 0 ? 0 : (total + count - 1) / count;
    }

private:
    // A target on the search stack, the flexible row routed to it being explored (kNone: pick the
    // next), and that row's spare list and how far into it the search has gone. A list that is
    // not kept lives in the frame's buffer (`held` entries), or, past kHeld entries on the whole
    // stack, is listed again whenever the search comes back to the frame (`relisted`): a long path
    // through rows with many spare candidates would otherwise hold them all.
    struct Frame {
        std::uint32_t target, row;
        const std::uint32_t* spare;
        std::uint32_t spare_count, arc;
        std::uint64_t held;
        bool relisted;
    };
    static constexpr std::uint64_t kHeld = std::uint64_t{1} << 22;

    // A target, or a row from a given layer, on the search stack or explored without success is
    // not entered again in this sweep; the ones on a path that was found may be. A target's position in its list
    // stands for the whole sweep: the rows it has passed are not looked at again.
    void enter_target(std::uint32_t j) {
        target_mark_[j] = epoch_;
        if (target_seen_[j] == epoch_) return;
        target_seen_[j] = epoch_;
        target_arc_[j] = 0;
    }

    bool search(std::uint32_t root, std::int64_t lambda) {
        frames_.assign(1, Frame{root, kNone, nullptr, 0, 0, 0, false});
        held_ = 0;
        relisted_depth_ = kNone;
        std::uint64_t steps = 0;
        while (!frames_.empty()) {
            poll_cancel(++steps);
            const std::size_t depth = frames_.size() - 1;
            Frame& f = frames_.back();
            if (f.row == kNone) {
                const std::vector<std::uint32_t>& holders = holders_.of(f.target);
                std::uint32_t& a = target_arc_[f.target];
                const std::uint32_t layer = dist_[f.target];
                while (a < holders.size() && (entered_.entered(holders[a], layer) || !routes_to(holders[a], f.target))) ++a;
                if (a == holders.size()) {  // no path through this target
                    held_ -= f.held;
                    frames_.pop_back();
                    continue;
                }
                f.row = holders[a];
                entered_.enter(f.row, layer);
                if (buffers_.size() <= depth) buffers_.resize(depth + 1);
                const bool hold = held_ + spare_[f.row] <= kHeld;
                std::vector<std::uint32_t>& buffer = hold ? buffers_[depth] : relisted_;
                const SpareList list = spares_.of(f.row, buffer);
                f.spare = list.targets;
                f.spare_count = list.count;
                f.arc = 0;
                f.relisted = !hold && list.targets == relisted_.data();
                f.held = hold && list.targets == buffer.data() ? list.count : 0;
                held_ += f.held;
                if (f.relisted) relisted_depth_ = static_cast<std::uint32_t>(depth);
                for (std::uint32_t x = 0; x < f.spare_count; ++x) {
                    if (load_[f.spare[x]] < lambda && next_layer(f.target, f.spare[x])) {
                        augment(f.spare[x]);
                        return true;
                    }
                }
            } else if (f.relisted && relisted_depth_ != depth) {  // back from a deeper frame that listed over it
                f.spare = spares_.of(f.row, relisted_).targets;
                relisted_depth_ = static_cast<std::uint32_t>(depth);
            }
            // Deeper only to a target of the next layer short of D (D's targets without room end nowhere).
            while (f.arc < f.spare_count &&
                   (target_mark_[f.spare[f.arc]] == epoch_ || !next_layer(f.target, f.spare[f.arc]) ||
                    dist_[f.spare[f.arc]] >= room_layer_))
                ++f.arc;
            if (f.arc == f.spare_count) {  // no path through this row: the target's next row
                f.row = kNone;
                held_ -= f.held;
                f.held = 0;
                continue;
            }
            const std::uint32_t next = f.spare[f.arc++];
            enter_target(next);
            frames_.push_back(Frame{next, kNone, nullptr, 0, 0, 0, false});
        }
        return false;
    }

    bool routes_to(std::uint32_t i, std::uint32_t j) const {
        const std::uint32_t* row = unsigned_row(out_ + static_cast<std::size_t>(i) * k_);
        return std::binary_search(row, row + k_, j);
    }

    // Each frame's row moves its route from the frame's target to the next frame's target (the
    // last one to `end`).
    void augment(std::uint32_t end) {
        for (std::size_t d = 0; d < frames_.size(); ++d) {
            const std::uint32_t i = frames_[d].row, from = frames_[d].target;
            const std::uint32_t to = d + 1 < frames_.size() ? frames_[d + 1].target : end;
            move_route(i, from, to);
            entered_.leave(i, dist_[from]);
            if (d > 0) target_mark_[from] = 0;
        }
        --load_[frames_.front().target];
        ++load_[end];
    }

    std::uint32_t k_;
    std::int32_t* out_;
    const std::vector<std::uint32_t>& spare_;
    std::vector<std::int64_t>& load_;
    FlexibleHolders holders_;
    SpareLists spares_;
    std::vector<std::uint64_t> room_;  // bit j: L_j < lambda, as a direct-move batch starts
    EnteredRows entered_;
    std::vector<std::uint32_t> target_mark_, target_seen_, target_arc_;
    std::vector<std::uint32_t> layer_row_, layer_epoch_, dist_, via_row_, via_target_, queue_, layer_buffer_;
    std::uint32_t room_layer_ = kNone;  // D
    std::uint32_t first_room_ = kNone;  // the first target with room the layering labelled
    std::uint32_t epoch_ = 0;
    std::vector<Frame> frames_;
    std::vector<std::vector<std::uint32_t>> buffers_;  // a spare list per depth, when lists are not kept
    std::vector<std::uint32_t> relisted_;  // the list of the frame at relisted_depth_, past kHeld
    std::uint64_t held_ = 0;
    std::uint32_t relisted_depth_ = kNone;
    std::vector<std::uint32_t> buffer_, turn_, batch_rows_, dropped_, taken_;
};

}  // namespace

void level_sweeps(const CandidateSource& source, std::uint32_t k, std::int64_t goal,
                  const std::vector<std::uint32_t>& spare, SpareRecords records, std::vector<std::int64_t>& load,
                  std::int32_t* out, int threads, BalancedReport& report) {
    Sweeps sweeps(source, k, spare, std::move(records), load, out, threads);
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

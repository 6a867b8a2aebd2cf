#include "selection/bitmap_sweeps.hpp"

#include <algorithm>
#include <memory>

#include "common/bitops.hpp"
#include "common/cancellation.hpp"
#include "common/scratch_pool.hpp"
#include "selection/draw_paths.hpp"
#include "selection/entered_rows.hpp"

namespace phase_router {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The first bit at or after `from` of the bitmap whose word w is word(w), over `words` words;
// words * 64 when there is none.
template <class Word>
std::size_t next_bit(std::size_t words, std::size_t from, Word word) {
    std::size_t w = from >> 6;
    if (w >= words) return words * 64;
    std::uint64_t bits = word(w) & (~std::uint64_t{0} << (from & 63));
    while (bits == 0) {
        if (++w == words) return words * 64;
        bits = word(w);
    }
    return w * 64 + static_cast<unsigned>(ctz64(bits));
}

// One stage of a 64 x 64 bit transpose: in every pair of j-row bands, the upper band's high
// j-bit halves trade places with the lower band's low halves. Runs of j rows, so the compiler
// can use vector registers.
template <unsigned j>
void transpose_stage(std::uint64_t* a, std::uint64_t mask) {
    for (unsigned base = 0; base < 64; base += 2 * j) {
        for (unsigned r = base; r < base + j; ++r) {
            const std::uint64_t swap = ((a[r] >> j) ^ a[r + j]) & mask;
            a[r] ^= swap << j;
            a[r + j] ^= swap;
        }
    }
}

// A 64 x 64 bit block in place: bit c of a[r] becomes bit r of a[c]. Swaps the off-diagonal
// halves, then the quarters within each half, down to single bits.
void transpose_block(std::uint64_t* a) {
    transpose_stage<32>(a, 0x00000000FFFFFFFFULL);
    transpose_stage<16>(a, 0x0000FFFF0000FFFFULL);
    transpose_stage<8>(a, 0x00FF00FF00FF00FFULL);
    transpose_stage<4>(a, 0x0F0F0F0F0F0F0F0FULL);
    transpose_stage<2>(a, 0x3333333333333333ULL);
    transpose_stage<1>(a, 0x5555555555555555ULL);
}

class BitmapSweeps {
public:
    BitmapSweeps(std::uint32_t k, const std::vector<std::uint32_t>& spare, RowBitmaps& bitmaps,
                 std::vector<std::int64_t>& load, std::int32_t* out)
        : M_(static_cast<std::uint32_t>(spare.size())), E_(static_cast<std::uint32_t>(load.size())), k_(k),
          W_(bitmaps.words()), MW_(words_for_bits(M_)), bits_(bitmaps), load_(load), out_(out),
          over_(W_, 0), room_(W_, 0), labelled_(W_, 0), reached_(MW_, 0), dirty_(MW_, 0),
          flexible_bits_(MW_, 0), entered_(M_), blocked_(W_, 0),
          target_seen_(E_, 0), target_arc_(E_, 0), dist_(E_, 0), via_row_(E_, 0), via_target_(E_, 0),
          start_epoch_(E_, 0), start_at_(E_, 0) {
        for (std::uint32_t i = 0; i < M_; ++i) {
            if (spare[i] == 0) continue;
            flexible_.push_back(i);
            set_bit(flexible_bits_.data(), i);
        }
    }

    void set_cap(std::int64_t lambda) {
        lambda_ = lambda;
        std::fill(over_.begin(), over_.end(), 0);
        std::fill(room_.begin(), room_.end(), 0);
        for (std::uint32_t j = 0; j < E_; ++j) {
            if (load_[j] > lambda) set_bit(over_.data(), j);
            if (load_[j] < lambda) set_bit(room_.data(), j);
        }
    }

    // Direct moves at the cap: each flexible row in ascending order until no load is above it;
    // each of the row's routes above the cap as its turn starts, ascending, goes to its smallest
    // spare candidate below the cap while there is one. During a turn only the row's own moves
    // change loads: a route moved away is behind the scan, and the target it moved to is not
    // above the cap, so scanning the row's routes above the cap as they are now is scanning
    // them as the turn started.
    std::uint64_t direct_moves() {
        std::int64_t excess = 0;
        for (const std::int64_t L : load_) excess += std::max<std::int64_t>(0, L - lambda_);
        std::uint64_t moves = 0;
        std::uint64_t n = 0;
        for (const std::uint32_t i : flexible_) {
            if (excess == 0) break;
            poll_cancel(++n);
            const std::uint64_t* routes = bits_.routes(i);
            const std::uint64_t* spare = bits_.spare(i);
            const auto with_room = [&](std::size_t w) { return spare[w] & room_[w]; };
            const auto above_cap = [&](std::size_t w) { return routes[w] & over_[w]; };
            std::size_t x = next_bit(W_, 0, with_room);
            if (x >= E_) continue;  // no spare candidate below the cap: the turn moves nothing
            for (std::size_t j = next_bit(W_, 0, above_cap); j < E_; j = next_bit(W_, j + 1, above_cap)) {
                move(i, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(x));
                change_load(static_cast<std::uint32_t>(j), -1);
                change_load(static_cast<std::uint32_t>(x), 1);
                ++moves;
                if (--excess == 0) break;
                x = next_bit(W_, x + 1, with_room);  // candidates before x have no room: loads below the cap only rose
                if (x >= E_) break;
            }
        }
        return moves;
    }

    // One sweep at the cap: the paths it found (0: the layering reached no target with room).
    std::uint64_t sweep() {
        ++epoch_;
        if (!columns_built_) build_columns();
        entered_.new_sweep();
        std::uint64_t found = 0;
        if (!layer()) return 0;
        for (std::size_t j = next_bit(W_, 0, [&](std::size_t w) { return over_[w]; }); j < E_;
             j = next_bit(W_, j + 1, [&](std::size_t w) { return over_[w]; })) {
            throw_if_cancelled();
            const auto target = static_cast<std::uint32_t>(j);
            enter_target(target);
            while (load_[target] > lambda_ && search(target)) ++found;
        }
        // The searches can miss every path (a moved route can give a row a step it lacked when
        // a search found nothing through it); the layering's own chain still holds one.
        if (found == 0) {
            augment_along_layers(first_room_);
            found = 1;
        }
        return found;
    }

    // After a sweep without paths: the mean load, rounded up, of the targets it reached.
    std::int64_t reached_mean() const {
        std::int64_t total = 0, count = 0;
        for (std::size_t w = 0; w < W_; ++w) {
            for (std::uint64_t b = labelled_[w]; b; b &= b - 1) {
                total += load_[w * 64 + static_cast<unsigned>(ctz64(b))];
                ++count;
            }
        }
        return count == 0 ? 0 : (total + count - 1) / count;
    }

    // The rows that moved, back into out: their routes ascending, the rest of the row -1. Rows
    // of at least 8 routes a word on average go through the selection's own writer (this CPU
    // path's vector stores; every set bit picked: no rank marked, the pick inverted); sparser
    // rows are read bit by bit, which costs less than a word's fixed vector work.
    void write_rows() const {
        const SelectionKernels& kernels = selection_kernels();
        const std::vector<std::uint64_t> no_ranks(k_ / 64 + 2, 0);
        const bool dense = k_ >= 8 * W_;
        for (std::size_t w = 0; w < MW_; ++w) {
            for (std::uint64_t b = dirty_[w]; b; b &= b - 1) {
                const std::size_t i = w * 64 + static_cast<unsigned>(ctz64(b));
                std::int32_t* row = out_ + i * k_;
                const std::uint64_t* routes = bits_.routes(static_cast<std::uint32_t>(i));
                std::size_t x = 0;
                if (dense) {
                    x = kernels.emit_ranked(routes, W_, no_ranks.data(), true, row, k_);
                } else {
                    for (std::size_t v = 0; v < W_; ++v)
                        for (std::uint64_t r = routes[v]; r; r &= r - 1)
                            row[x++] = static_cast<std::int32_t>(v * 64 + static_cast<unsigned>(ctz64(r)));
                }
                std::fill(row + x, row + k_, -1);
            }
        }
    }

private:
    // A target on the search stack, its current row (kNone: pick the next) and how far the
    // search has gone through that row's spare candidates.
    struct Frame {
        std::uint32_t target, row, arc;
    };

    std::uint64_t* column(std::uint32_t j) { return columns_->data() + std::size_t{j} * MW_; }

    // Per target, the flexible rows routed to it (bit i of its column), from the row bitmaps
    // once a sweep first needs them, in 64 x 64 blocks; kept up to date by every move after.
    void build_columns() {
        columns_ = std::make_unique<ScratchWords>(std::size_t{E_} * MW_);  // every word written below
        std::uint64_t block[64];
        for (std::size_t rb = 0; rb < MW_; ++rb) {
            poll_cancel(rb);
            const std::uint64_t flexible = flexible_bits_[rb];
            if (flexible == 0) {
                for (std::uint32_t j = 0; j < E_; ++j) column(j)[rb] = 0;
                continue;
            }
            const std::uint64_t* first = bits_.routes(static_cast<std::uint32_t>(rb * 64));
            for (std::size_t w = 0; w < W_; ++w) {
                const unsigned targets = static_cast<unsigned>(std::min<std::size_t>(64, E_ - w * 64));
                // Only flexible rows: a fixed row's words are never written. The same rows for
                // every word of the block, so the loop's branches repeat.
                std::fill(block, block + 64, 0);
                std::uint64_t any = 0;
                for (std::uint64_t b = flexible; b; b &= b - 1) {
                    const unsigned r = static_cast<unsigned>(ctz64(b));
                    block[r] = first[r * W_ + w];
                    any |= block[r];
                }
                if (any != 0) transpose_block(block);  // all zero: its own transpose
                for (unsigned c = 0; c < targets; ++c) column(static_cast<std::uint32_t>(w * 64 + c))[rb] = block[c];
            }
        }
        columns_built_ = true;
    }

    // Row i's route to `from` becomes a route to `to` (loads are the caller's).
    void move(std::uint32_t i, std::uint32_t from, std::uint32_t to) {
        std::uint64_t* routes = bits_.routes(i);
        std::uint64_t* spare = bits_.spare(i);
        clear_bit(routes, from);
        set_bit(routes, to);
        set_bit(spare, from);
        clear_bit(spare, to);
        set_bit(dirty_.data(), i);
        if (columns_built_) {
            keep_start(from);
            keep_start(to);
            clear_bit(column(from), i);
            set_bit(column(to), i);
        }
    }

    void change_load(std::uint32_t j, std::int64_t delta) {
        const std::int64_t L = load_[j] += delta;
        const std::uint64_t bit = std::uint64_t{1} << (j & 63);
        over_[j >> 6] = L > lambda_ ? over_[j >> 6] | bit : over_[j >> 6] & ~bit;
        room_[j >> 6] = L < lambda_ ? room_[j >> 6] | bit : room_[j >> 6] & ~bit;
    }

    // The searches read each target's rows as the sweep started: a column they read (a target
    // short of D) is copied before the sweep first changes it, and read from the copy for the
    // rest of the sweep.
    void keep_start(std::uint32_t j) {
        if (start_epoch_[j] == epoch_ || !test_bit(labelled_.data(), j) || dist_[j] >= room_layer_) return;
        start_epoch_[j] = epoch_;
        start_at_[j] = starts_.size();
        const std::uint64_t* col = column(j);
        starts_.insert(starts_.end(), col, col + MW_);
    }

    const std::uint64_t* column_at_start(std::uint32_t j) {
        return start_epoch_[j] == epoch_ ? starts_.data() + start_at_[j] : column(j);
    }

    // Breadth first from every target above the cap; true if some target has room (D is set).
    bool layer() {
        queue_.clear();
        std::fill(labelled_.begin(), labelled_.end(), 0);
        std::fill(reached_.begin(), reached_.end(), 0);
        std::fill(blocked_.begin(), blocked_.end(), 0);
        std::fill(layers_.begin(), layers_.begin() + static_cast<std::ptrdiff_t>(layers_used_ * W_), 0);
        layers_used_ = 0;
        for (std::size_t j = next_bit(W_, 0, [&](std::size_t w) { return over_[w]; }); j < E_;
             j = next_bit(W_, j + 1, [&](std::size_t w) { return over_[w]; }))
            label(static_cast<std::uint32_t>(j), 0);
        room_layer_ = kNone;
        starts_.clear();
        std::uint64_t steps = 0;
        for (std::size_t head = 0; head < queue_.size(); ++head) {
            const std::uint32_t j = queue_[head];
            if (room_layer_ != kNone && dist_[j] >= room_layer_) break;  // D's layer is complete
            const std::uint64_t* col = column(j);
            for (std::size_t w = 0; w < MW_; ++w) {
                for (std::uint64_t b = col[w] & ~reached_[w]; b; b &= b - 1) {
                    poll_cancel(++steps);
                    const auto i = static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(ctz64(b)));
                    reached_[w] |= b & (~b + 1);
                    const std::uint64_t* spare = bits_.spare(i);
                    for (std::size_t v = 0; v < W_; ++v) {
                        for (std::uint64_t s = spare[v] & ~labelled_[v]; s; s &= s - 1) {
                            const auto next = static_cast<std::uint32_t>(v * 64 + static_cast<unsigned>(ctz64(s)));
                            label(next, dist_[j] + 1);
                            via_row_[next] = i;
                            via_target_[next] = j;
                            if (load_[next] < lambda_ && room_layer_ == kNone) {
                                room_layer_ = dist_[j] + 1;
                                first_room_ = next;
                            }
                        }
                    }
                }
            }
        }
        return room_layer_ != kNone;
    }

    void label(std::uint32_t j, std::uint32_t dist) {
        set_bit(labelled_.data(), j);
        if (dist >= layers_used_) {
            layers_used_ = dist + 1;
            if (layers_.size() < layers_used_ * W_) layers_.resize(layers_used_ * W_, 0);
        }
        set_bit(layer_bits(dist), j);
        dist_[j] = dist;
        queue_.push_back(j);
    }

    // The targets the layering labelled at distance d (none past the deepest).
    std::uint64_t* layer_bits(std::uint32_t d) { return layers_.data() + std::size_t{d} * W_; }
    bool has_layer(std::uint32_t d) const { return d < layers_used_; }

    // Blocks a target for the rest of the sweep (a path through it unblocks it).
    void enter_target(std::uint32_t j) {
        set_bit(blocked_.data(), j);
        if (target_seen_[j] == epoch_) return;
        target_seen_[j] = epoch_;
        target_arc_[j] = 0;
    }

    bool search(std::uint32_t root) {
        frames_.assign(1, Frame{root, kNone, 0});
        std::uint64_t steps = 0;
        while (!frames_.empty()) {
            poll_cancel(++steps);
            Frame& f = frames_.back();
            const std::uint32_t layer = dist_[f.target];
            if (f.row == kNone) {
                // The target's rows as the sweep started, from its position on, that are not
                // entered from its layer and still route to it.
                const std::uint64_t* holders = column_at_start(f.target);
                std::uint32_t& a = target_arc_[f.target];
                std::size_t at = a;
                for (;;) {
                    at = next_bit(MW_, at, [&](std::size_t w) { return holders[w]; });
                    if (at >= M_) break;
                    const auto i = static_cast<std::uint32_t>(at);
                    if (!entered_.entered(i, layer) && test_bit(bits_.routes(i), f.target)) break;
                    ++at;
                }
                a = static_cast<std::uint32_t>(std::min<std::size_t>(at, M_));
                if (a == M_) {  // no path through this target
                    frames_.pop_back();
                    continue;
                }
                f.row = a;
                f.arc = 0;
                entered_.enter(f.row, layer);
                // Its smallest spare candidate with room in the next layer ends the search.
                if (has_layer(layer + 1)) {
                    const std::uint64_t* spare = bits_.spare(f.row);
                    const std::uint64_t* next = layer_bits(layer + 1);
                    const std::size_t x = next_bit(W_, 0, [&](std::size_t w) { return spare[w] & room_[w] & next[w]; });
                    if (x < E_) {
                        augment(static_cast<std::uint32_t>(x));
                        return true;
                    }
                }
            }
            // Deeper only to a target of the next layer short of D that is not blocked.
            std::size_t x = E_;
            if (layer + 1 < room_layer_) {
                const std::uint64_t* spare = bits_.spare(f.row);
                const std::uint64_t* next = layer_bits(layer + 1);
                x = next_bit(W_, f.arc, [&](std::size_t w) { return spare[w] & next[w] & ~blocked_[w]; });
            }
            if (x >= E_) {  // no path through this row: the target's next row
                f.row = kNone;
                continue;
            }
            f.arc = static_cast<std::uint32_t>(x + 1);
            const auto next = static_cast<std::uint32_t>(x);
            enter_target(next);
            frames_.push_back(Frame{next, kNone, 0});
        }
        return false;
    }

    // Each frame's row moves its route from the frame's target to the next frame's target (the
    // last one to `end`).
    void augment(std::uint32_t end) {
        for (std::size_t d = 0; d < frames_.size(); ++d) {
            const std::uint32_t i = frames_[d].row, from = frames_[d].target;
            const std::uint32_t to = d + 1 < frames_.size() ? frames_[d + 1].target : end;
            move(i, from, to);
            entered_.leave(i, dist_[from]);
            if (d > 0) clear_bit(blocked_.data(), from);
        }
        change_load(frames_.front().target, -1);
        change_load(end, 1);
    }

    // The chain by which the layering first labelled `end`.
    void augment_along_layers(std::uint32_t end) {
        std::uint32_t to = end;
        while (dist_[to] > 0) {
            const std::uint32_t from = via_target_[to];
            move(via_row_[to], from, to);
            to = from;
        }
        change_load(to, -1);
        change_load(end, 1);
    }

    std::uint32_t M_, E_, k_;
    std::size_t W_, MW_;  // words of a row bitmap (targets) and of a column (rows)
    RowBitmaps& bits_;
    std::vector<std::int64_t>& load_;
    std::int32_t* out_;
    std::int64_t lambda_ = 0;
    std::vector<std::uint64_t> over_, room_;  // bit j: L_j above, below the cap
    std::vector<std::uint64_t> labelled_;     // bit j: labelled by this sweep's layering
    std::vector<std::uint64_t> reached_;      // bit i: row reached by this sweep's layering
    std::vector<std::uint64_t> dirty_;        // bit i: row i moved a route
    std::vector<std::uint64_t> flexible_bits_;
    std::vector<std::uint32_t> flexible_;
    std::unique_ptr<ScratchWords> columns_;  // E x MW_: bit i of column j, flexible row i routes to j
    bool columns_built_ = false;
    EnteredRows entered_;
    std::vector<std::uint64_t> blocked_;  // bit j: target j blocked in this sweep
    std::vector<std::uint64_t> layers_;   // per distance d < layers_used_, the targets labelled at d
    std::size_t layers_used_ = 0;
    std::vector<std::uint32_t> target_seen_, target_arc_;
    std::vector<std::uint32_t> dist_, via_row_, via_target_, queue_;
    std::vector<std::uint64_t> starts_;      // columns as this sweep started, of the targets it changed
    std::vector<std::uint32_t> start_epoch_;  // the sweep whose start column j's copy holds
    std::vector<std::size_t> start_at_;       // where in starts_
    std::uint32_t room_layer_ = kNone;  // D
    std::uint32_t first_room_ = kNone;  // the first target with room the layering labelled
    std::uint32_t epoch_ = 0;
    std::vector<Frame> frames_;
};

}  // namespace

void level_sweeps_on_bitmaps(std::uint32_t k, std::int64_t goal, const std::vector<std::uint32_t>& spare,
                             RowBitmaps& bitmaps, std::vector<std::int64_t>& load, std::int32_t* out,
                             BalancedReport& report) {
    BitmapSweeps sweeps(k, spare, bitmaps, load, out);
    std::int64_t lambda = goal;
    sweeps.set_cap(lambda);
    report.direct_moves = sweeps.direct_moves();
    while (*std::max_element(load.begin(), load.end()) > lambda) {
        const std::uint64_t found = sweeps.sweep();
        ++report.sweeps;
        report.augmentations += found;
        if (found == 0) {
            lambda = std::max(lambda + 1, sweeps.reached_mean());
            sweeps.set_cap(lambda);
            report.proven_optimal = true;
        }
    }
    sweeps.write_rows();
}

}  // namespace phase_router

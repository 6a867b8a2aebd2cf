#include "selection/policy_balanced.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "common/cancellation.hpp"
#include "common/sampling.hpp"
#include "common/bitops.hpp"
#include "common/parallel.hpp"
#include "common/splitmix.hpp"
#include "selection/balanced_sweeps.hpp"
#include "selection/bitmap_sweeps.hpp"
#include "selection/random.hpp"
#include "selection/route_row.hpp"
#include "selection/row_bitmaps.hpp"
#include "selection/spare_record.hpp"

namespace phase_router {

namespace {

using Loads = std::vector<std::int64_t>;

// The least k at which phase A records spare lists (see RandomWithLoads).
constexpr std::uint32_t kRecordRoutes = 32;

std::int64_t max_of(const Loads& load) { return load.empty() ? 0 : *std::max_element(load.begin(), load.end()); }

// Phase A: the spec's random selection (selection/random.hpp, as select_random does), with each
// row's routes counted into this worker's loads while they are still in cache, and its spare
// candidates (c_i - r_i, which no move changes) noted. A row without spare candidates routes to
// all of them under any selection: its routes are also counted as fixed loads. When k is at least
// kRecordRoutes, a row with at least one and at most k spare candidates also has its spare list
// recorded (selection/spare_record.hpp), as long as the rows seen so far say that phase C will
// keep spare lists. A record costs a few tens of ns a row besides its entries, whether phase C
// reads it or not (it reads few on shapes that phase A leaves nearly balanced). Measured, that
// is as much again as the selection of a row of 8 routes (MoE, 65536 x 256, k = 8, whole-wrap
// capacities: 3.7 -> 6.8 ms a call), and a small part of a row of 64 or more, where listing the
// row again in phase C costs more. When phase C runs on row bitmaps (selection/row_bitmaps.hpp),
// every flexible row writes its bitmaps instead, from its spare list or from its routes,
// whichever is shorter.
class RandomWithLoads final : public RowVisitor {
public:
    RandomWithLoads(std::uint64_t select_key, std::uint64_t first_row, std::uint32_t k, std::uint32_t widest, std::int32_t* out, Loads* load,
                    Loads* fixed, std::uint32_t* spare, std::uint32_t rows, SpareRecord* record, RowBitmaps* bitmaps)
        : select_key_(select_key), first_row_(first_row), k_(k), scratch_(widest), row_(k), out_(out), load_(*load), fixed_(*fixed),
          spare_(spare), rows_(rows), record_(*record), bitmaps_(bitmaps) {
        if (bitmaps_) spare_list_.resize(std::size_t{widest} + SpareRecord::kSlack);
    }

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        select_routes(words, word_count, candidate_count, k_, splitmix(select_key_, first_row_ + row), scratch_, row_.data());
        count_and_store(row, candidate_count);
        if (bitmaps_ && candidate_count > k_) {
            if (candidate_count - k_ <= k_) {
                const auto n = static_cast<std::uint32_t>(
                    unselected_routes(words, word_count, candidate_count, k_, scratch_, spare_list_.data()));
                bitmaps_->from_spare_list(row, words, word_count, spare_list_.data(), n);
            } else {
                bitmaps_->from_routes(row, words, word_count, row_.data(), k_);
            }
        } else if (std::uint32_t* list = narrow_spare(candidate_count)) {
            record_.commit(row, static_cast<std::uint32_t>(
                unselected_routes(words, word_count, candidate_count, k_, scratch_, list)));
        }
    }

    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        if (candidate_count == 0) {
            std::fill(out_ + std::size_t{row} * k_, out_ + std::size_t{row + 1} * k_, -1);
            spare_[row] = 0;
            return;
        }
        select_from_list(targets, candidate_count, k_, splitmix(select_key_, first_row_ + row), scratch_, row_.data());
        count_and_store(row, candidate_count);
        if (bitmaps_ && candidate_count > k_)
            bitmaps_->from_list(row, targets, candidate_count, row_.data(), k_);
        else if (std::uint32_t* list = narrow_spare(candidate_count))
            record_.commit(row, static_cast<std::uint32_t>(unselected_from_list(targets, candidate_count, k_, scratch_, list)));
    }

private:
    // Where a row with 1..k spare candidates writes its spare list, if lists will be kept.
    std::uint32_t* narrow_spare(std::uint32_t candidate_count) {
        if (k_ < kRecordRoutes) return nullptr;
        ++seen_rows_;
        seen_routes_ += k_;  // as phase C counts routes: k per row
        if (candidate_count <= k_) return nullptr;
        const std::uint32_t spare = candidate_count - k_;
        seen_spare_ += spare;
        if ((seen_rows_ & 63) == 0)  // the test divides: once every 64 rows is enough
            recording_ = recording_ && spare_lists_fit(seen_spare_, seen_routes_, seen_rows_, rows_);
        if (spare > k_ || !recording_) return nullptr;
        return record_.reserve(spare);
    }

    // The row is selected into a private buffer and counted there before it is copied out: read
    // back from `out` instead, each row's fresh (not yet cached) output line stalled the count
    // until the stores reached the cache, a memory latency per row (1.7x random's time at M = 2^20).
    void count_and_store(std::uint32_t row, std::uint32_t candidate_count) {
        for (std::uint32_t x = 0; x < k_ && row_[x] >= 0; ++x) ++load_[static_cast<std::uint32_t>(row_[x])];
        std::copy(row_.begin(), row_.end(), out_ + std::size_t{row} * k_);
        spare_[row] = candidate_count > k_ ? candidate_count - k_ : 0;
        if (spare_[row] == 0)
            for (std::uint32_t x = 0; x < k_ && row_[x] >= 0; ++x) ++fixed_[static_cast<std::uint32_t>(row_[x])];
    }

    std::uint64_t select_key_;
    std::uint64_t first_row_;
    std::uint32_t k_;
    SelectScratch scratch_;
    std::vector<std::int32_t> row_;
    std::int32_t* out_;
    Loads& load_;
    Loads& fixed_;
    std::uint32_t* spare_;
    std::uint32_t rows_;  // M, the rows all workers see
    SpareRecord& record_;
    RowBitmaps* bitmaps_;  // null: phase C runs on lists
    std::vector<std::uint32_t> spare_list_;
    std::uint64_t seen_rows_ = 0, seen_routes_ = 0, seen_spare_ = 0;  // this worker's, so far
    bool recording_ = true;
};

// Phase A's result besides the routes: loads, fixed loads, each row's spare candidates, and the
// spare lists it recorded.
struct RandomRoutes {
    Loads load, fixed;
    std::vector<std::uint32_t> spare;
    SpareRecords records;
};

RandomRoutes random_with_loads(const CandidateSource& source, std::uint64_t seed, std::uint64_t first_row,
                               std::uint32_t k, int threads, std::int32_t* out, RowBitmaps* bitmaps) {
    const std::uint64_t select_key = domain_key(seed, Domain::kSelect);
    const std::uint32_t E = source.targets();
    const std::uint32_t widest = std::max(source.max_candidates(), E);
    RandomRoutes result{Loads(E, 0), Loads(E, 0), std::vector<std::uint32_t>(source.sources(), 0), {}};
    std::mutex guard;
    std::vector<std::unique_ptr<RandomRoutes>> partial;  // each worker's loads and fixed loads
    source.visit_rows(0, source.sources(), threads, [&](int) {
        std::lock_guard<std::mutex> lock(guard);
        partial.push_back(std::make_unique<RandomRoutes>(RandomRoutes{Loads(E, 0), Loads(E, 0), {}, {}}));
        RandomRoutes& mine = *partial.back();
        result.records.push_back(std::make_unique<SpareRecord>());
        return std::make_unique<RandomWithLoads>(select_key, first_row, k, widest, out, &mine.load, &mine.fixed,
                                                 result.spare.data(), source.sources(), result.records.back().get(), bitmaps);
    });
    for (const auto& p : partial) {
        for (std::uint32_t j = 0; j < E; ++j) {
            result.load[j] += p->load[j];
            result.fixed[j] += p->fixed[j];
        }
    }
    return result;
}

// One round of phase B as every row sees it: the loads at the round's start, the goal and the
// round's keys, and which targets are below the goal (bit j: L_j < G), the only ones a row can
// pick.
struct RoundState {
    const Loads* load;
    std::int64_t goal;
    std::uint32_t k;
    std::uint64_t evict_key, pick_key;
    std::vector<std::uint64_t> below_goal;
    std::uint64_t first_row;  // the whole routing's id of row 0, which keys the draws

    std::uint64_t row_hash(std::uint32_t i) const { return splitmix(evict_key, first_row + i) >> 32; }
};

// Row i's routes that the round evicts: those to over-goal targets j with u * L_j < (L_j - G) * 2^32,
// u the row's 32-bit round hash. Appended to `evicted` in route (ascending) order.
void evictions(const RoundState& round, std::uint32_t i, const std::int32_t* row, std::vector<std::uint32_t>& evicted) {
    const std::uint64_t u = round.row_hash(i);
    const Loads& load = *round.load;
    for (std::uint32_t x = 0; x < round.k && row[x] >= 0; ++x) {
        const auto j = static_cast<std::uint32_t>(row[x]);
        const std::int64_t L = load[j];
        if (L > round.goal && u * static_cast<std::uint64_t>(L) < (static_cast<std::uint64_t>(L - round.goal) << 32))
            evicted.push_back(j);
    }
}

// One thread's scratch for phase B.
struct RepairWorker {
    explicit RepairWorker(std::uint32_t E) : chosen(words_for_bits(E) + 1, 0), delta(E, 0) {}
    std::vector<std::uint32_t> evicting, eligible, evicted, picks, merged;
    std::vector<std::uint64_t> weights;
    WeightTree tree;
    std::vector<std::uint64_t> chosen;  // bitmap of the current row's routes, empty between rows
    Loads delta;  // load changes of this thread's rows in this round
    std::uint64_t moves = 0;
};

// Phase B, the rows that evict: each row's candidates come from the candidate source (all of a
// round's rows in one batch, in the source's cheapest order), and each row's new routes depend
// only on its candidates, its old routes and the round's starting loads, so neither that order
// nor the thread a row lands on changes a bit.
class RepairRows final : public RowVisitor {
public:
    RepairRows(const RoundState& round, std::int32_t* out, RepairWorker& worker)
        : round_(round), out_(out), w_(worker) {}

    // Eligible: unchosen candidates below G, in ascending order.
    void bitmap_row(std::uint32_t i, const std::uint64_t* words, std::size_t word_count, std::uint32_t) override {
        std::int32_t* row = begin(i);
        for (std::size_t x = 0; x < word_count; ++x) {
            for (std::uint64_t bits = words[x] & round_.below_goal[x] & ~w_.chosen[x]; bits; bits &= bits - 1)
                eligible(static_cast<std::uint32_t>(x * 64 + static_cast<unsigned>(ctz64(bits))));
        }
        finish(i, row);
    }

    void list_row(std::uint32_t i, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        std::int32_t* row = begin(i);
        for (std::uint32_t x = 0; x < candidate_count; ++x) {
            const std::uint32_t j = targets[x];
            if (((round_.below_goal[j >> 6] & ~w_.chosen[j >> 6]) >> (j & 63)) & 1) eligible(j);
        }
        finish(i, row);
    }

private:
    std::int32_t* begin(std::uint32_t i) {
        std::int32_t* row = out_ + static_cast<std::size_t>(i) * round_.k;
        w_.eligible.clear();
        w_.weights.clear();
        for (std::uint32_t x = 0; x < round_.k && row[x] >= 0; ++x) set_bit(w_.chosen.data(), static_cast<std::uint32_t>(row[x]));
        return row;
    }

    void eligible(std::uint32_t j) {
        w_.eligible.push_back(j);
        w_.weights.push_back(static_cast<std::uint64_t>(round_.goal - (*round_.load)[j]));  // the deficit
    }

    // The evicted routes, most loaded first (ties: smaller target id), are replaced by as many
    // successive deficit-weighted picks among the eligible targets as there are of either.
    void finish(std::uint32_t i, std::int32_t* row) {
        const std::uint32_t r = route_count(row, round_.k);
        std::fill(w_.chosen.begin(), w_.chosen.end(), 0);
        w_.evicted.clear();
        evictions(round_, i, row, w_.evicted);
        const std::size_t p = std::min(w_.evicted.size(), w_.eligible.size());
        if (p == 0) return;
        const Loads& load = *round_.load;
        std::sort(w_.evicted.begin(), w_.evicted.end(), [&](std::uint32_t a, std::uint32_t b) {
            return load[a] != load[b] ? load[a] > load[b] : a < b;
        });
        w_.evicted.resize(p);
        WeightTree& tree = w_.tree;
        tree.assign(w_.weights);
        WideDraws draws(splitmix(round_.pick_key, round_.first_row + i));
        w_.picks.clear();
        for (std::size_t n = 0; n < p; ++n) {
            const std::uint32_t x = tree.find(draws.bounded(tree.total()));
            w_.picks.push_back(w_.eligible[x]);
            tree.add(x, -static_cast<std::int64_t>(tree.weight(x)));
        }
        std::sort(w_.evicted.begin(), w_.evicted.end());
        std::sort(w_.picks.begin(), w_.picks.end());
        // New row: (routes - evicted) merged with picks, ascending; the route count is unchanged.
        w_.merged.clear();
        std::size_t e = 0, q = 0;
        for (std::uint32_t x = 0; x < r; ++x) {
            const auto j = static_cast<std::uint32_t>(row[x]);
            if (e < p && w_.evicted[e] == j) {
                ++e;
                continue;
            }
            while (q < p && w_.picks[q] < j) w_.merged.push_back(w_.picks[q++]);
            w_.merged.push_back(j);
        }
        while (q < p) w_.merged.push_back(w_.picks[q++]);
        for (std::uint32_t x = 0; x < r; ++x) row[x] = static_cast<std::int32_t>(w_.merged[x]);
        for (std::size_t n = 0; n < p; ++n) {
            --w_.delta[w_.evicted[n]];
            ++w_.delta[w_.picks[n]];
        }
        w_.moves += p;
    }

    const RoundState& round_;
    std::int32_t* out_;
    RepairWorker& w_;
};

std::uint64_t total_moves(const std::vector<RepairWorker>& workers) {
    std::uint64_t moves = 0;
    for (const RepairWorker& w : workers) moves += w.moves;
    return moves;
}

}  // namespace

void select_balanced(const CandidateSource& source, const BalancedOptions& options, std::int32_t* out,
                     BalancedReport* report_out) {
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    const std::uint32_t M = source.sources(), E = source.targets(), k = options.k;
    const std::uint32_t* t = source.target_degrees();
    BalancedReport report;

    // Phase C's store is chosen before phase A, which writes it.
    const auto store = static_cast<PhaseCStore>(options.store);
    if (store != PhaseCStore::kAutomatic && store != PhaseCStore::kLists && store != PhaseCStore::kBitmaps)
        throw std::invalid_argument("store must be 0 (automatic), 1 (lists) or 2 (bitmaps)");
    std::unique_ptr<RowBitmaps> bitmaps;
    if (store == PhaseCStore::kBitmaps || (store == PhaseCStore::kAutomatic && RowBitmaps::fit(M, E, k)))
        bitmaps = std::make_unique<RowBitmaps>(M, E);

    // Phase A: the spec's random selection.
    RandomRoutes phase_a = random_with_loads(source, options.seed, options.first_row, k, options.threads, out, bitmaps.get());
    Loads& load = phase_a.load;
    report.fixed_loads = phase_a.fixed;
    if (options.base_load) {
        for (std::uint32_t j = 0; j < E; ++j) {
            load[j] += options.base_load[j];
            phase_a.fixed[j] += options.base_load[j];
        }
    }
    const int parts = thread_count(options.threads);

    std::int64_t total = 0, active = 0;
    for (std::uint32_t j = 0; j < E; ++j) {
        total += load[j];
        active += t[j] > 0 ? 1 : 0;
    }
    if (total > 0 && active > 0) {
        const std::int64_t lower = std::max<std::int64_t>((total + active - 1) / active, 0);
        // No selection has a maximum below the largest fixed load either. The slack is 2 %, and
        // at least one route: below a load of 50, a perfect balance would cost phase C most.
        const std::int64_t wanted = options.goal > 0 ? options.goal : lower + std::max<std::int64_t>(1, lower / 50);
        const std::int64_t goal = std::max(wanted, max_of(phase_a.fixed));
        report.lower_bound = static_cast<std::uint64_t>(lower);
        report.goal = static_cast<std::uint64_t>(goal);

        // Phase B: parallel repair rounds against each round's starting loads.
        const std::uint64_t evict_key = domain_key(options.seed, Domain::kBalancedEvict);
        const std::uint64_t pick_domain = domain_key(options.seed, Domain::kBalancedPick);
        const std::uint32_t widest = std::max<std::uint32_t>(source.max_candidates(), 1);
        std::vector<RepairWorker> workers(static_cast<std::size_t>(parts), RepairWorker(E));
        std::vector<std::uint32_t> evicting;
        RoundState state{&load, goal, k, 0, 0, std::vector<std::uint64_t>(words_for_bits(E) + 1, 0),
                         options.first_row};
        for (std::uint32_t round = 0; round < options.rounds && max_of(load) > goal; ++round) {
            throw_if_cancelled();
            // A row can evict only if its hash is below max_j ceil((L_j - G) 2^32 / L_j).
            std::uint64_t threshold = 0;
            std::fill(state.below_goal.begin(), state.below_goal.end(), 0);
            for (std::uint32_t j = 0; j < E; ++j) {
                if (load[j] < goal) state.below_goal[j >> 6] |= 1ULL << (j & 63);
                if (load[j] <= goal) continue;
                const auto L = static_cast<std::uint64_t>(load[j]);
                threshold = std::max(threshold, ((static_cast<std::uint64_t>(load[j] - goal) << 32) + L - 1) / L);
            }
            state.evict_key = splitmix(evict_key, round);
            state.pick_key = splitmix(pick_domain, round);
            for (RepairWorker& w : workers) std::fill(w.delta.begin(), w.delta.end(), 0);
            const std::uint64_t moves_before = total_moves(workers);
            // The rows that evict something: one hash per row (split over threads when M is
            // large), then a look at the routes of the few whose hash is below the threshold.
            const int scan_parts = M >= (1u << 16) ? parts : 1;
            run_parallel(scan_parts, [&](int part, int actual) {
                RepairWorker& w = workers[static_cast<std::size_t>(part)];
                w.evicting.clear();
                for (auto i = part_begin(M, part, actual); i < part_begin(M, part + 1, actual); ++i) {
                    poll_cancel(i);
                    if (state.row_hash(static_cast<std::uint32_t>(i)) >= threshold) continue;
                    w.evicted.clear();
                    evictions(state, static_cast<std::uint32_t>(i), out + static_cast<std::size_t>(i) * k, w.evicted);
                    if (!w.evicted.empty()) w.evicting.push_back(static_cast<std::uint32_t>(i));
                }
            });
            evicting.clear();
            for (int part = 0; part < scan_parts; ++part) {
                const auto& rows = workers[static_cast<std::size_t>(part)].evicting;
                evicting.insert(evicting.end(), rows.begin(), rows.end());
            }
            // Few rows are not worth waking threads for; the result is the same either way.
            const int round_parts = threads_for_batch(evicting.size(), widest, parts);
            source.visit_row_list(evicting, round_parts, [&](int part) {
                return std::make_unique<RepairRows>(state, out, workers[static_cast<std::size_t>(part)]);
            });
            for (int part = 0; part < parts; ++part) {
                const Loads& d = workers[static_cast<std::size_t>(part)].delta;
                for (std::uint32_t j = 0; j < E; ++j) load[j] += d[j];
            }
            ++report.rounds_run;
            if (total_moves(workers) == moves_before) break;  // a round that moves nothing ends phase B
        }
        report.moves = total_moves(workers);
        if (report.moves > 0) {  // phase B's moves made phase A's spare lists and bitmaps stale
            phase_a.records.clear();
            if (bitmaps)
                for (std::uint32_t i = 0; i < M; ++i)
                    if (phase_a.spare[i] > 0) bitmaps->reroute(i, out + std::size_t{i} * k, k);
        }

        // A goal raised to the largest fixed load is a lower bound: reaching it is optimal.
        report.proven_optimal = goal > wanted;

        // Phase C: level sweeps of augmenting paths for what the rounds left above G.
        if (max_of(load) > goal) {
            if (bitmaps) level_sweeps_on_bitmaps(k, goal, phase_a.spare, *bitmaps, load, out, report);
            else level_sweeps(source, k, goal, phase_a.spare, std::move(phase_a.records), load, out, options.threads, report);
        }
    }
    report.max_load = static_cast<std::uint64_t>(max_of(load));
    if (report_out) *report_out = report;
}

}  // namespace phase_router

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
#include "selection/random.hpp"

namespace phase_router {

namespace {

using Loads = std::vector<std::int64_t>;

// A row is its targets ascending, then -1 padding; read as unsigned, the padding sorts last.
const std::uint32_t* unsigned_row(const std::int32_t* row) { return reinterpret_cast<const std::uint32_t*>(row); }

std::uint32_t route_count(const std::int32_t* row, std::uint32_t k) {
    const std::uint32_t* r = unsigned_row(row);
    return static_cast<std::uint32_t>(std::lower_bound(r, r + k, 0xFFFFFFFFu) - r);
}

std::int64_t max_of(const Loads& load) { return load.empty() ? 0 : *std::max_element(load.begin(), load.end()); }

// Phase A: the spec's random selection (selection/random.hpp, as select_random does), with each
// row's routes counted into this worker's loads while they are still in cache.
class RandomWithLoads final : public RowVisitor {
public:
    RandomWithLoads(std::uint64_t select_key, std::uint32_t k, std::uint32_t widest, std::int32_t* out, Loads* load)
        : select_key_(select_key), k_(k), scratch_(widest), row_(k), out_(out), load_(*load) {}

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        select_routes(words, word_count, candidate_count, k_, splitmix(select_key_, row), scratch_, row_.data());
        count_and_store(row);
    }

    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        if (candidate_count == 0) {
            std::fill(out_ + std::size_t{row} * k_, out_ + std::size_t{row + 1} * k_, -1);
            return;
        }
        select_from_list(targets, candidate_count, k_, splitmix(select_key_, row), scratch_, row_.data());
        count_and_store(row);
    }

private:
    // The row is selected into a private buffer and counted there before it is copied out: read
    // back from `out` instead, each row's fresh (not yet cached) output line stalled the count
    // until the stores reached the cache, a memory latency per row (1.7x random's time at M = 2^20).
    void count_and_store(std::uint32_t row) {
        for (std::uint32_t x = 0; x < k_ && row_[x] >= 0; ++x) ++load_[static_cast<std::uint32_t>(row_[x])];
        std::copy(row_.begin(), row_.end(), out_ + std::size_t{row} * k_);
    }

    std::uint64_t select_key_;
    std::uint32_t k_;
    SelectScratch scratch_;
    std::vector<std::int32_t> row_;
    std::int32_t* out_;
    Loads& load_;
};

Loads random_with_loads(const CandidateSource& source, std::uint64_t seed, std::uint32_t k, int threads,
                        std::int32_t* out) {
    const std::uint64_t select_key = domain_key(seed, Domain::kSelect);
    const std::uint32_t E = source.targets();
    const std::uint32_t widest = std::max(source.max_candidates(), E);
    std::mutex guard;
    std::vector<std::unique_ptr<Loads>> partial;
    source.visit_rows(0, source.sources(), threads, [&](int) {
        std::lock_guard<std::mutex> lock(guard);
        partial.push_back(std::make_unique<Loads>(E, 0));
        return std::make_unique<RandomWithLoads>(select_key, k, widest, out, partial.back().get());
    });
    Loads load(E, 0);
    for (const auto& p : partial)
        for (std::uint32_t j = 0; j < E; ++j) load[j] += (*p)[j];
    return load;
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

    std::uint64_t row_hash(std::uint32_t i) const { return splitmix(evict_key, i) >> 32; }
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
        WideDraws draws(splitmix(round_.pick_key, i));
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

// Replaces target `from` by `to` in a row's ascending routes (r of them), keeping it ascending.
void replace_route(std::int32_t* row, std::uint32_t r, std::uint32_t from, std::uint32_t to) {
    std::uint32_t x = 0;
    while (row[x] != static_cast<std::int32_t>(from)) ++x;
    // Slide neighbours over the gap until `to` fits.
    while (x + 1 < r && row[x + 1] < static_cast<std::int32_t>(to)) {
        row[x] = row[x + 1];
        ++x;
    }
    while (x > 0 && row[x - 1] > static_cast<std::int32_t>(to)) {
        row[x] = row[x - 1];
        --x;
    }
    row[x] = static_cast<std::int32_t>(to);
}

// Phase C's index from targets to the sources routed to them: holders(j) is always "the rows
// whose routes contain j, ascending", however it was built. A search usually needs only a few
// targets' lists (often one), so a list is built when first asked for, by a binary search of
// every row (rows are ascending, and -1 read as unsigned sorts last): O(M log k) per target.
// Once that has cost as much as indexing every route (O(M k), scattered writes into E lists and
// fresh memory), all lists are built at once. Either way the lists are the same, so the searches
// and their results are too.
class Holders {
public:
    Holders(std::uint32_t M, std::uint32_t E, std::uint32_t k, const std::int32_t* out, const Loads& load)
        : M_(M), k_(k), out_(out), load_(load), lists_(E), built_(E, 0) {
        unsigned log_k = 1;
        while ((1u << log_k) < k) ++log_k;
        lazy_budget_ = std::max<std::uint32_t>(1, k / (log_k + 1));
    }

    const std::vector<std::uint32_t>& of(std::uint32_t j) {
        if (!built_[j]) {
            if (all_built_ || lazy_builds_ < lazy_budget_) build_one(j);
            else build_all();
        }
        return lists_[j];
    }

    // Row i's route to `from` became a route to `to`.
    void moved(std::uint32_t i, std::uint32_t from, std::uint32_t to) {
        if (built_[from]) lists_[from].erase(std::lower_bound(lists_[from].begin(), lists_[from].end(), i));
        if (built_[to]) lists_[to].insert(std::lower_bound(lists_[to].begin(), lists_[to].end(), i), i);
    }

private:
    const std::uint32_t* row(std::uint32_t i) const {
        // int32 and uint32 may alias; the -1 padding becomes 2^32 - 1, after every target.
        return reinterpret_cast<const std::uint32_t*>(out_ + static_cast<std::size_t>(i) * k_);
    }

    void build_one(std::uint32_t j) {
        ++lazy_builds_;
        std::vector<std::uint32_t>& list = lists_[j];
        list.clear();
        list.reserve(static_cast<std::size_t>(load_[j]) + 1);
        for (std::uint32_t i = 0; i < M_; ++i) {
            poll_cancel(i);
            if (std::binary_search(row(i), row(i) + k_, j)) list.push_back(i);
        }
        built_[j] = 1;
    }

    void build_all() {
        all_built_ = true;
        for (std::uint32_t j = 0; j < lists_.size(); ++j) {
            lists_[j].clear();
            lists_[j].reserve(static_cast<std::size_t>(load_[j]) + 1);
            built_[j] = 1;
        }
        for (std::uint32_t i = 0; i < M_; ++i) {
            poll_cancel(i);
            const std::uint32_t* r = row(i);
            for (std::uint32_t x = 0; x < k_ && r[x] != 0xFFFFFFFFu; ++x) lists_[r[x]].push_back(i);
        }
    }

    std::uint32_t M_, k_;
    const std::int32_t* out_;
    const Loads& load_;
    std::vector<std::vector<std::uint32_t>> lists_;
    std::vector<std::uint8_t> built_;
    std::uint32_t lazy_builds_ = 0, lazy_budget_ = 1;
    bool all_built_ = false;
};

// Phase C: alternating paths from the maximum targets, breadth first in a fixed order.
void exact_repair(const CandidateSource& source, std::uint32_t k, std::int64_t goal, Loads& load, std::int32_t* out,
                  BalancedReport& report) {
    const std::uint32_t M = source.sources(), E = source.targets();
    Holders holders(M, E, k, out, load);
    std::vector<std::uint32_t> source_seen(M, 0), target_seen(E, 0), via_source(E), via_target(E), queue;
    std::uint32_t epoch = 0;
    CandidateScratch scratch;
    std::vector<std::uint32_t> candidates(std::max<std::uint32_t>(source.max_candidates(), 1));
    constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    for (;;) {
        const std::int64_t top = max_of(load);
        if (top <= goal) return;
        std::vector<std::uint32_t> tops;
        for (std::uint32_t j = 0; j < E; ++j)
            if (load[j] == top) tops.push_back(j);
        for (const std::uint32_t start : tops) {
            throw_if_cancelled();
            ++epoch;
            queue.assign(1, start);
            target_seen[start] = epoch;
            std::uint32_t found = kNone;
            for (std::size_t head = 0; head < queue.size() && found == kNone; ++head) {
                const std::uint32_t j = queue[head];
                for (const std::uint32_t i : holders.of(j)) {
                    throw_if_cancelled();  // each visit lists a row's candidates
                    if (source_seen[i] == epoch) continue;
                    source_seen[i] = epoch;
                    const std::int32_t* row = out + static_cast<std::size_t>(i) * k;
                    const std::uint32_t r = route_count(row, k);
                    const std::uint32_t c = source.row_candidates(i, scratch, candidates.data());
                    for (std::uint32_t x = 0, y = 0; x < c; ++x) {
                        const std::uint32_t next = candidates[x];
                        while (y < r && static_cast<std::uint32_t>(row[y]) < next) ++y;
                        if ((y < r && static_cast<std::uint32_t>(row[y]) == next) || target_seen[next] == epoch) continue;
                        target_seen[next] = epoch;
                        via_source[next] = i;
                        via_target[next] = j;
                        if (load[next] <= top - 2) {
                            found = next;
                            break;
                        }
                        queue.push_back(next);
                    }
                    if (found != kNone) break;
                }
            }
            if (found == kNone) {  // no path from a maximum target: the maximum is optimal
                report.proven_optimal = true;
                return;
            }
            ++load[found];
            --load[start];
            for (std::uint32_t to = found;;) {
                const std::uint32_t i = via_source[to], from = via_target[to];
                std::int32_t* row = out + static_cast<std::size_t>(i) * k;
                replace_route(row, route_count(row, k), from, to);
                holders.moved(i, from, to);
                if (from == start) break;
                to = from;
            }
            ++report.augmentations;
        }
    }
}

}  // namespace

void select_balanced(const CandidateSource& source, const BalancedOptions& options, std::int32_t* out,
                     BalancedReport* report_out) {
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    const std::uint32_t M = source.sources(), E = source.targets(), k = options.k;
    const std::uint32_t* t = source.target_degrees();
    BalancedReport report;

    // Phase A: the spec's random selection.
    Loads load = random_with_loads(source, options.seed, k, options.threads, out);
    const int parts = thread_count(options.threads);

    std::int64_t total = 0, active = 0;
    for (std::uint32_t j = 0; j < E; ++j) {
        total += load[j];
        active += t[j] > 0 ? 1 : 0;
    }
    if (total > 0) {
        const std::int64_t lower = (total + active - 1) / active;
        const std::int64_t goal = lower + lower / 50;
        report.lower_bound = static_cast<std::uint64_t>(lower);
        report.goal = static_cast<std::uint64_t>(goal);

        // Phase B: parallel repair rounds against each round's starting loads.
        const std::uint64_t evict_key = domain_key(options.seed, Domain::kBalancedEvict);
        const std::uint64_t pick_domain = domain_key(options.seed, Domain::kBalancedPick);
        const std::uint32_t widest = std::max<std::uint32_t>(source.max_candidates(), 1);
        std::vector<RepairWorker> workers(static_cast<std::size_t>(parts), RepairWorker(E));
        std::vector<std::uint32_t> evicting;
        RoundState state{&load, goal, k, 0, 0, std::vector<std::uint64_t>(words_for_bits(E) + 1, 0)};
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
            const int round_parts = static_cast<std::uint64_t>(evicting.size()) * widest >= (1u << 18) ? parts : 1;
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

        // Phase C: exact alternating paths for what the rounds left above G.
        if (max_of(load) > goal) exact_repair(source, k, goal, load, out, report);
    }
    report.max_load = static_cast<std::uint64_t>(max_of(load));
    if (report_out) *report_out = report;
}

}  // namespace phase_router

#include "selection/policy_balanced.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "baselines/sampling.hpp"
#include "common/parallel.hpp"
#include "common/splitmix.hpp"
#include "selection/random.hpp"

namespace phase_router {

namespace {

using Loads = std::vector<std::int64_t>;

std::uint32_t route_count(const std::int32_t* row, std::uint32_t k) {
    std::uint32_t r = 0;
    while (r < k && row[r] >= 0) ++r;
    return r;
}

std::int64_t max_of(const Loads& load) { return load.empty() ? 0 : *std::max_element(load.begin(), load.end()); }

// Phase A: the spec's random selection (selection/random.hpp, as select_random does), with each
// row's routes counted into this worker's loads while they are still in cache.
class RandomWithLoads final : public RowVisitor {
public:
    RandomWithLoads(std::uint64_t select_key, std::uint32_t k, std::uint32_t widest, std::int32_t* out, Loads* load)
        : select_key_(select_key), k_(k), scratch_(widest), out_(out), load_(*load) {}

    void bitmap_row(std::uint32_t row, const std::uint64_t* words, std::size_t word_count,
                    std::uint32_t candidate_count) override {
        std::int32_t* o = out_ + std::size_t{row} * k_;
        select_routes(words, word_count, candidate_count, k_, splitmix(select_key_, row), scratch_, o);
        count(o);
    }

    void list_row(std::uint32_t row, const std::uint32_t* targets, std::uint32_t candidate_count) override {
        std::int32_t* o = out_ + std::size_t{row} * k_;
        if (candidate_count == 0) {
            std::fill(o, o + k_, -1);
            return;
        }
        select_from_list(targets, candidate_count, k_, splitmix(select_key_, row), scratch_, o);
        count(o);
    }

private:
    void count(const std::int32_t* o) {
        for (std::uint32_t x = 0; x < k_ && o[x] >= 0; ++x) ++load_[static_cast<std::uint32_t>(o[x])];
    }

    std::uint64_t select_key_;
    std::uint32_t k_;
    SelectScratch scratch_;
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

// One thread's scratch for phase B.
struct RepairWorker {
    explicit RepairWorker(std::uint32_t widest, std::uint32_t E) : candidates(widest), chosen(E, 0), delta(E, 0) {}
    CandidateScratch scratch;
    std::vector<std::uint32_t> candidates, eligible, evicted, picks, merged;
    std::vector<std::uint64_t> weights;
    std::vector<std::uint8_t> chosen;  // 1 for the current row's routes, 0 otherwise between rows
    Loads delta;  // load changes of this thread's rows in this round
    std::uint64_t moves = 0;
};

// Phase B, one row: the row's routes to over-goal targets that the round evicts (u * L_j <
// (L_j - G) * 2^32, u the row's 32-bit round hash) are replaced, as far as the row has unchosen
// candidates below G, by successive deficit-weighted picks among them.
void repair_row(const CandidateSource& source, std::uint32_t i, std::uint64_t u, std::uint64_t pick_key,
                const Loads& load, std::int64_t goal, std::uint32_t k, std::int32_t* row, RepairWorker& w) {
    const std::uint32_t r = route_count(row, k);
    w.evicted.clear();
    for (std::uint32_t x = 0; x < r; ++x) {
        const auto j = static_cast<std::uint32_t>(row[x]);
        const std::int64_t L = load[j];
        if (L > goal && u * static_cast<std::uint64_t>(L) < (static_cast<std::uint64_t>(L - goal) << 32))
            w.evicted.push_back(j);
    }
    if (w.evicted.empty()) return;
    const std::uint32_t c = source.row_candidates(i, w.scratch, w.candidates.data());
    w.eligible.clear();
    w.weights.clear();
    for (std::uint32_t x = 0; x < r; ++x) w.chosen[static_cast<std::uint32_t>(row[x])] = 1;
    for (std::uint32_t x = 0; x < c; ++x) {  // unchosen candidates below G, ascending
        const std::uint32_t j = w.candidates[x];
        if (!w.chosen[j] && load[j] < goal) {
            w.eligible.push_back(j);
            w.weights.push_back(static_cast<std::uint64_t>(goal - load[j]));
        }
    }
    for (std::uint32_t x = 0; x < r; ++x) w.chosen[static_cast<std::uint32_t>(row[x])] = 0;
    const std::size_t p = std::min(w.evicted.size(), w.eligible.size());
    if (p == 0) return;
    // The most loaded evicted targets are relieved first (ties: smaller target id).
    std::sort(w.evicted.begin(), w.evicted.end(), [&](std::uint32_t a, std::uint32_t b) {
        return load[a] != load[b] ? load[a] > load[b] : a < b;
    });
    w.evicted.resize(p);
    WeightTree tree(w.weights);
    WideDraws draws(splitmix(pick_key, i));
    w.picks.clear();
    for (std::size_t n = 0; n < p; ++n) {
        const std::uint32_t x = tree.find(draws.bounded(tree.total()));
        w.picks.push_back(w.eligible[x]);
        tree.add(x, -static_cast<std::int64_t>(tree.weight(x)));
    }
    std::sort(w.evicted.begin(), w.evicted.end());
    std::sort(w.picks.begin(), w.picks.end());
    // New row: (routes - evicted) merged with picks, ascending; the route count is unchanged.
    w.merged.clear();
    std::size_t e = 0, q = 0;
    for (std::uint32_t x = 0; x < r; ++x) {
        const auto j = static_cast<std::uint32_t>(row[x]);
        if (e < p && w.evicted[e] == j) {
            ++e;
            continue;
        }
        while (q < p && w.picks[q] < j) w.merged.push_back(w.picks[q++]);
        w.merged.push_back(j);
    }
    while (q < p) w.merged.push_back(w.picks[q++]);
    for (std::uint32_t x = 0; x < r; ++x) row[x] = static_cast<std::int32_t>(w.merged[x]);
    for (std::size_t n = 0; n < p; ++n) {
        --w.delta[w.evicted[n]];
        ++w.delta[w.picks[n]];
    }
    w.moves += p;
}

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

void erase_sorted(std::vector<std::uint32_t>& v, std::uint32_t value) {
    v.erase(std::lower_bound(v.begin(), v.end(), value));
}

void insert_sorted(std::vector<std::uint32_t>& v, std::uint32_t value) {
    v.insert(std::lower_bound(v.begin(), v.end(), value), value);
}

// Phase C: alternating paths from the maximum targets, breadth first in a fixed order.
void exact_repair(const CandidateSource& source, std::uint32_t k, std::int64_t goal, Loads& load, std::int32_t* out,
                  BalancedReport& report) {
    const std::uint32_t M = source.sources(), E = source.targets();
    // holders[j]: the sources routed to j, ascending.
    std::vector<std::vector<std::uint32_t>> holders(E);
    for (std::uint32_t i = 0; i < M; ++i) {
        const std::int32_t* row = out + static_cast<std::size_t>(i) * k;
        for (std::uint32_t x = 0; x < k && row[x] >= 0; ++x) holders[static_cast<std::uint32_t>(row[x])].push_back(i);
    }
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
            ++epoch;
            queue.assign(1, start);
            target_seen[start] = epoch;
            std::uint32_t found = kNone;
            for (std::size_t head = 0; head < queue.size() && found == kNone; ++head) {
                const std::uint32_t j = queue[head];
                for (const std::uint32_t i : holders[j]) {
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
                erase_sorted(holders[from], i);
                insert_sorted(holders[to], i);
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
        const std::uint64_t evict_key = splitmix(options.seed, kDomainBalancedEvict);
        const std::uint64_t pick_domain = splitmix(options.seed, kDomainBalancedPick);
        const std::uint32_t widest = std::max<std::uint32_t>(source.max_candidates(), 1);
        std::vector<RepairWorker> workers(static_cast<std::size_t>(parts), RepairWorker(widest, E));
        for (std::uint32_t round = 0; round < options.rounds && max_of(load) > goal; ++round) {
            // A row can evict only if its hash is below max_j ceil((L_j - G) 2^32 / L_j).
            std::uint64_t threshold = 0;
            for (std::uint32_t j = 0; j < E; ++j) {
                if (load[j] <= goal) continue;
                const auto L = static_cast<std::uint64_t>(load[j]);
                threshold = std::max(threshold, ((static_cast<std::uint64_t>(load[j] - goal) << 32) + L - 1) / L);
            }
            const std::uint64_t round_key = splitmix(evict_key, round);
            const std::uint64_t pick_key = splitmix(pick_domain, round);
            for (RepairWorker& w : workers) std::fill(w.delta.begin(), w.delta.end(), 0);
            // Rows that may evict: about M * threshold / 2^32. Few of them are not worth waking
            // threads for; the result is the same either way.
            const std::uint64_t expected_rows = (static_cast<std::uint64_t>(M) * threshold) >> 32;
            const int round_parts = expected_rows * widest >= (1u << 18) ? parts : 1;
            const std::uint64_t moves_before = total_moves(workers);
            run_parallel(round_parts, [&](int part, int actual) {
                RepairWorker& w = workers[static_cast<std::size_t>(part)];
                for (auto i = part_begin(M, part, actual); i < part_begin(M, part + 1, actual); ++i) {
                    const std::uint64_t u = splitmix(round_key, i) >> 32;
                    if (u >= threshold) continue;
                    repair_row(source, static_cast<std::uint32_t>(i), u, pick_key, load, goal, k,
                               out + static_cast<std::size_t>(i) * k, w);
                }
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

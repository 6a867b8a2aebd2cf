// Standalone kernel exerciser for sanitizer and valgrind runs (make sanitize): drives every
// kernel over many shapes, including non-multiples of 64, k > E, empty and full rows: the Router
// (dense/sparse/auto, row ranges, thread counts, checkpoint strides), every selection policy
// (random, greedy, balanced, optimal) on every candidate source (the phase Router,
// MaskCandidates and HashCandidates), the random kernel's totals, packed_row_degrees,
// dense_row_degrees and its byte kernels on every CPU path this CPU runs, the streamed dense
// readers (row degrees and bool matrix), the P1 scan, route_summary, and the hash and
// two-choice baselines. It checks invariants that any out-of-bounds write or uninitialised
// read would be likely to break. The sanitizers catch the
// memory errors themselves; the invariants make the run fail on wrong results too.
// Usage: kernel_check [small]   ("small": fewer and smaller shapes, for valgrind)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "baselines/hash.hpp"
#include "baselines/two_choice.hpp"
#include "candidates/hash_candidates.hpp"
#include "candidates/mask_candidates.hpp"
#include "common/cancellation.hpp"
#include "common/splitmix.hpp"
#include "degrees/byte_count.hpp"
#include "degrees/dense_row_degrees.hpp"
#include "degrees/p1_row_degrees.hpp"
#include "degrees/row_degrees.hpp"
#include "degrees/streamed_dense.hpp"
#include "ring/router.hpp"
#include "selection/policy_balanced.hpp"
#include "selection/row_bitmaps.hpp"
#include "selection/policy_greedy.hpp"
#include "selection/policy_optimal.hpp"
#include "selection/policy_random.hpp"
#include "selection/route_degrees.hpp"
#include "stats/route_summary.hpp"

using namespace phase_router;

namespace {

int failures = 0;
std::uint64_t checks = 0;

void expect(bool ok, const std::string& what) {
    ++checks;
    if (!ok && failures++ < 20) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

using Routes = std::vector<std::int32_t>;

// Row i: `limit` or fewer distinct targets in [0, E) (ascending if `sorted`), then only -1.
void check_rows(const Routes& r, std::uint32_t M, std::uint32_t E, std::uint32_t k, const std::vector<std::uint32_t>& limit,
                const std::vector<std::uint32_t>* t, bool sorted, const std::string& what) {
    std::vector<std::uint32_t> load(E, 0);
    std::vector<std::uint8_t> seen(E, 0);
    for (std::uint32_t i = 0; i < M; ++i) {
        const std::int32_t* row = r.data() + std::size_t{i} * k;
        std::uint32_t n = 0;
        while (n < k && row[n] >= 0) ++n;
        bool ok = n <= limit[i];
        for (std::uint32_t x = n; x < k; ++x) ok = ok && row[x] == -1;
        for (std::uint32_t x = 0; x < n; ++x) {
            const auto j = static_cast<std::uint32_t>(row[x]);
            ok = ok && j < E && (!sorted || x == 0 || row[x - 1] < row[x]);
            if (j < E) {
                ok = ok && !seen[j];
                seen[j] = 1;
                ++load[j];
            }
        }
        for (std::uint32_t x = 0; x < n; ++x)
            if (static_cast<std::uint32_t>(row[x]) < E) seen[row[x]] = 0;
        if (!ok) {
            expect(false, what + ": malformed row " + std::to_string(i));
            return;
        }
    }
    if (t)  // a target is a candidate only for the t_j sources its arc covers
        for (std::uint32_t j = 0; j < E; ++j) expect(load[j] <= (*t)[j], what + ": load above t_j");
}

struct Case {
    std::uint32_t M, E, k;
    int pattern;  // 0 random, 1 all empty, 2 all full, 3 sparse-ish, 4 half empty / half full
    std::uint64_t seed;
};

std::vector<std::uint32_t> degrees(std::uint32_t n, std::uint32_t ring, int pattern, std::uint64_t key) {
    std::vector<std::uint32_t> d(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint64_t u = splitmix(key, i);
        switch (pattern) {
            case 1: d[i] = 0; break;
            case 2: d[i] = ring; break;
            case 3: d[i] = static_cast<std::uint32_t>(u % (ring / 32 + 2)) % (ring + 1); break;
            case 4: d[i] = (i % 2) ? ring : 0; break;
            default: d[i] = static_cast<std::uint32_t>(u % (ring + 1ULL));
        }
    }
    return d;
}

Routes route_with(const std::vector<std::uint32_t>& s, const std::vector<std::uint32_t>& t, const Case& c,
                  Strategy strategy, int threads, std::uint64_t budget = SourceArcs::kDefaultBudgetBytes) {
    RouteOptions o;
    o.k = c.k;
    o.seed = c.seed;
    o.row_perm = c.seed % 2;
    o.strategy = strategy;
    o.checkpoint_budget_bytes = budget;
    Router router(s.data(), c.M, t.data(), c.E, o);
    Routes out(std::size_t{c.M} * c.k, 7);  // not -1: every slot must be written
    route_rows(router, 0, c.M, threads, out.data());
    // Row ranges are slices of the full routing.
    for (std::uint32_t part = 0; part < 3; ++part) {
        const std::uint32_t a = static_cast<std::uint32_t>(splitmix(c.seed + part, 1) % (c.M + 1ULL));
        const std::uint32_t b = a + static_cast<std::uint32_t>(splitmix(c.seed + part, 2) % (c.M - a + 1ULL));
        Routes slice(std::size_t{b - a} * c.k + 1, 9);  // one guard slot past the end
        route_rows(router, a, b, threads, slice.data());
        expect(std::equal(slice.begin(), slice.end() - 1, out.begin() + std::size_t{a} * c.k), "row range slice");
        expect(slice.back() == 9, "route_rows wrote past its range");
    }
    return out;
}

// Every candidate of every row of `source`, as a mask: select_random with k = E keeps them all.
MaskCandidates mask_of(const CandidateSource& source, const std::vector<std::uint32_t>& t) {
    const std::uint32_t M = source.sources(), E = source.targets();
    Routes all(std::size_t{M} * E);
    select_random(source, 0, E, 0, M, 2, all.data());
    std::vector<std::uint64_t> offsets{0};
    std::vector<std::uint32_t> targets;
    for (std::uint32_t i = 0; i < M; ++i) {
        for (std::uint32_t x = 0; x < E && all[std::size_t{i} * E + x] >= 0; ++x)
            targets.push_back(static_cast<std::uint32_t>(all[std::size_t{i} * E + x]));
        offsets.push_back(targets.size());
    }
    return MaskCandidates(offsets.data(), M, targets.data(), E, t.data());
}

std::uint64_t max_load(const Routes& r, std::uint32_t E) {
    std::vector<std::uint64_t> load(E, 0);
    for (const std::int32_t j : r)
        if (j >= 0) ++load[j];
    return E ? *std::max_element(load.begin(), load.end()) : 0;
}

std::vector<std::uint32_t> row_counts(const Routes& r, std::uint32_t M, std::uint32_t k) {
    std::vector<std::uint32_t> counts(M, 0);
    for (std::uint32_t i = 0; i < M; ++i)
        for (std::uint32_t x = 0; x < k; ++x) counts[i] += r[std::size_t{i} * k + x] >= 0;
    return counts;
}

struct Policies {
    Routes random, greedy, balanced, optimal;  // optimal empty when the shape is too large for it
};

// Every selection policy on one candidate source. Random keeps min(k, c_i) per row, so its row
// counts are the c_i-bound every policy must meet exactly; the proven optimum's maximum load is at
// most every other policy's.
// `within_t`: the source never lists target j for more than t_j rows (the phase construction's
// arcs, and masks built from them), so no load can exceed t_j.
Policies check_policies(const CandidateSource& source, const Case& c, std::uint64_t pairs, const std::string& what,
                        bool within_t = true) {
    const std::uint32_t M = c.M, E = c.E, k = c.k;
    const std::uint32_t* t_ptr = source.target_degrees();
    const std::vector<std::uint32_t> t(t_ptr, t_ptr + E);
    const std::vector<std::uint32_t>* cap = within_t ? &t : nullptr;
    Policies p;
    p.random.assign(std::size_t{M} * k, 7);
    select_random(source, c.seed, k, 0, M, 2, p.random.data());
    const auto counts = row_counts(p.random, M, k);
    check_rows(p.random, M, E, k, counts, cap, true, what + " random");

    GreedyOptions g;
    g.k = k;
    g.seed = c.seed;
    g.block = 1 + static_cast<std::uint32_t>(c.seed % 17);
    g.threads = 2;
    p.greedy.assign(std::size_t{M} * k, 7);
    select_greedy(source, g, p.greedy.data());
    check_rows(p.greedy, M, E, k, counts, cap, false, what + " greedy");
    expect(row_counts(p.greedy, M, k) == counts, what + " greedy keeps min(k, c_i)");
    g.block = 0;  // the default, computed from M
    Routes greedy_default(std::size_t{M} * k, 7);
    select_greedy(source, g, greedy_default.data());
    check_rows(greedy_default, M, E, k, counts, cap, false, what + " greedy default block");

    if (pairs > 200000) return p;  // balanced and optimal: the smaller shapes are enough
    BalancedOptions b;
    b.k = k;
    b.seed = c.seed;
    b.threads = 2;
    BalancedReport report;
    p.balanced.assign(std::size_t{M} * k, 7);
    select_balanced(source, b, p.balanced.data(), &report);
    check_rows(p.balanced, M, E, k, counts, cap, true, what + " balanced");
    expect(row_counts(p.balanced, M, k) == counts, what + " balanced keeps min(k, c_i)");
    expect(report.max_load == max_load(p.balanced, E), what + " balanced reports its max load");
    for (const PhaseCStore store : {PhaseCStore::kLists, PhaseCStore::kBitmaps}) {  // the same routes from each store
        b.store = static_cast<std::uint32_t>(store);
        Routes forced(std::size_t{M} * k, 7);
        select_balanced(source, b, forced.data());
        expect(forced == p.balanced, what + " balanced routes the same from each phase C store");
    }

    if (pairs > 40000) return p;
    OptimalOptions o;
    o.k = k;
    o.threads = 2;
    p.optimal.assign(std::size_t{M} * k, 7);
    const OptimalResult best = select_optimal(source, o, p.optimal.data());
    check_rows(p.optimal, M, E, k, counts, cap, true, what + " optimal");
    expect(row_counts(p.optimal, M, k) == counts, what + " optimal keeps min(k, c_i)");
    const std::uint64_t optimum = max_load(p.optimal, E);
    expect(best.denominator == 1 && static_cast<std::uint64_t>(best.numerator) == optimum,
           what + " optimal reports its max load");
    expect(optimum <= max_load(p.random, E) && optimum <= max_load(p.greedy, E) &&
               optimum <= max_load(p.balanced, E),
           what + " optimal is at most every other policy's max load");
    o.relative = true;
    Routes relative(std::size_t{M} * k, 7);
    select_optimal(source, o, relative.data());
    check_rows(relative, M, E, k, counts, cap, true, what + " optimal relative");
    return p;
}

void check_router(const Case& c) {
    const auto s = degrees(c.M, c.E, c.pattern, c.seed ^ 0x5EED5);
    const auto t = degrees(c.E, c.M, c.pattern == 3 ? 0 : c.pattern, c.seed ^ 0x7A76E7);
    const std::string what = "router M=" + std::to_string(c.M) + " E=" + std::to_string(c.E) + " k=" +
                             std::to_string(c.k) + " pattern=" + std::to_string(c.pattern);
    const Routes autos = route_with(s, t, c, Strategy::kAuto, 2);
    std::vector<std::uint32_t> limit(c.M);
    for (std::uint32_t i = 0; i < c.M; ++i) limit[i] = std::min(c.k, s[i]);
    check_rows(autos, c.M, c.E, c.k, limit, &t, true, what);
    expect(route_with(s, t, c, Strategy::kDense, 1) == autos, what + ": dense differs from auto");
    expect(route_with(s, t, c, Strategy::kSparse, 3) == autos, what + ": sparse differs from auto");
    // A tiny checkpoint budget forces the widest stride: same bits, different code path.
    expect(route_with(s, t, c, Strategy::kDense, 2, 64) == autos, what + ": coarse stride differs");
    RouteOptions o;
    o.k = c.k;
    o.seed = c.seed;
    o.row_perm = c.seed % 2;
    Routes whole(std::size_t{c.M} * c.k);
    route_degrees(s.data(), c.M, t.data(), c.E, o, whole.data());
    expect(whole == autos, what + ": route_degrees differs from Router");

    const RouteTotals summary = summarize_routes(autos.data(), c.M, c.k, c.E, 2);
    std::uint64_t active = 0, under = 0;
    std::vector<std::int64_t> loads(c.E, 0);
    for (std::uint32_t i = 0; i < c.M; ++i) {
        std::uint32_t n = 0;
        for (std::uint32_t x = 0; x < c.k; ++x)
            if (autos[std::size_t{i} * c.k + x] >= 0) ++n, ++loads[autos[std::size_t{i} * c.k + x]];
        active += n;
        under += n < c.k;
    }
    expect(summary.active == active && summary.underfilled == under && summary.loads == loads,
           what + ": route_summary");

    // Totals tallied by the random kernel as it writes, for row ranges and thread counts: the
    // same as the separate count of the rows written.
    {
        const Router tallied(s.data(), c.M, t.data(), c.E, o);
        for (std::uint32_t part = 0; part < 3; ++part) {
            const std::uint32_t a = part == 0 ? 0 : static_cast<std::uint32_t>(splitmix(c.seed + part, 3) % (c.M + 1ULL));
            const std::uint32_t b = part == 0 ? c.M : a + static_cast<std::uint32_t>(splitmix(c.seed + part, 4) % (c.M - a + 1ULL));
            Routes rows(std::size_t{b - a} * c.k, 7);
            SharedRouteTotals totals(c.E);
            select_random(tallied, c.seed, c.k, a, b, static_cast<int>(part) + 1, rows.data(), &totals);
            const RouteTotals counted = summarize_routes(rows.data(), b - a, c.k, c.E, 1);
            const RouteTotals& got = totals.total();
            expect(got.active == counted.active && got.underfilled == counted.underfilled &&
                       got.empty_rows == counted.empty_rows && got.loads == counted.loads,
                   what + ": select_random's totals");
        }
    }

    RouteOptions ring_options;
    ring_options.k = c.k;
    ring_options.seed = c.seed;
    ring_options.row_perm = c.seed % 2;
    const Router ring(s.data(), c.M, t.data(), c.E, ring_options);
    const std::uint64_t pairs = std::uint64_t{c.M} * c.E;
    const Policies on_ring = check_policies(ring, c, pairs, what + " router");
    expect(on_ring.random == autos, what + ": select_random differs from route_rows");
    // The same candidate sets as an explicit mask: every policy gives the same bits on it.
    const MaskCandidates mask = mask_of(ring, t);
    const Policies on_mask = check_policies(mask, c, pairs, what + " mask");
    expect(on_mask.random == on_ring.random && on_mask.greedy == on_ring.greedy &&
               on_mask.balanced == on_ring.balanced && on_mask.optimal == on_ring.optimal,
           what + ": a policy differs between the Router and the mask of its candidates");

    std::vector<std::uint32_t> ones(c.E, 1), weighted_limit(limit);
    const auto positive = static_cast<std::uint32_t>(std::count_if(t.begin(), t.end(), [](std::uint32_t x) { return x > 0; }));
    for (auto& x : weighted_limit) x = std::min(x, positive);
    Routes hashed(std::size_t{c.M} * c.k);
    hash_route_uniform(limit.data(), c.M, c.E, c.k, c.seed, 2, hashed.data());
    check_rows(hashed, c.M, c.E, c.k, limit, nullptr, false, what + " hash uniform");
    if (positive > 0) {
        hash_route_weighted(weighted_limit.data(), c.M, t.data(), c.E, c.k, c.seed, 2, hashed.data());
        check_rows(hashed, c.M, c.E, c.k, weighted_limit, nullptr, false, what + " hash weighted");
        two_choice_route(weighted_limit.data(), c.M, t.data(), c.E, c.k, c.seed, hashed.data());
        check_rows(hashed, c.M, c.E, c.k, weighted_limit, nullptr, false, what + " two-choice weighted");
    }
    two_choice_route(limit.data(), c.M, ones.data(), c.E, c.k, c.seed, hashed.data());
    check_rows(hashed, c.M, c.E, c.k, limit, nullptr, false, what + " two-choice");

    // Hashed candidates: every policy on them, and each row is the weighted hash router's picks
    // for the count min(s_i, P), by random access (row_candidates) as by the policies' visits.
    const HashCandidates hashed_source(s.data(), c.M, t.data(), c.E, c.seed);
    check_policies(hashed_source, c, pairs, what + " hash candidates", false);
    if (positive > 0) {
        std::vector<std::uint32_t> counts(s);
        for (auto& x : counts) x = std::min(x, positive);
        const std::uint32_t width = std::max<std::uint32_t>(1, *std::max_element(counts.begin(), counts.end()));
        Routes picks(std::size_t{c.M} * width);
        hash_route_weighted(counts.data(), c.M, t.data(), c.E, width, c.seed, 2, picks.data());
        CandidateScratch scratch;
        std::vector<std::uint32_t> row(std::max<std::uint32_t>(1, hashed_source.max_candidates()));
        for (std::uint32_t i = 0; i < c.M; ++i) {
            const std::uint32_t n = hashed_source.row_candidates(i, scratch, row.data());
            bool same = n == counts[i];
            for (std::uint32_t x = 0; same && x < n; ++x) same = static_cast<std::int32_t>(row[x]) == picks[std::size_t{i} * width + x];
            expect(same, what + ": hash candidates of row " + std::to_string(i) + " are not the weighted hash picks");
        }
    }
}

void check_packed_row_degrees(std::uint32_t rows, std::uint32_t width, std::uint64_t key) {
    const std::uint64_t row_bytes = (width + 7) / 8;
    std::vector<std::uint8_t> data(rows * row_bytes);
    for (std::size_t x = 0; x < data.size(); ++x) data[x] = static_cast<std::uint8_t>(splitmix(key, x));
    std::vector<std::uint32_t> out(rows + 1, 0xDEADBEEF);
    packed_row_degrees(data.data(), rows, row_bytes, width, out.data(), 2);
    for (std::uint32_t r = 0; r < rows; ++r) {
        std::uint32_t n = 0;
        for (std::uint32_t c = 0; c < width; ++c) n += (data[r * row_bytes + c / 8] >> (7 - c % 8)) & 1;
        expect(out[r] == n, "packed_row_degrees row " + std::to_string(r) + " width " + std::to_string(width));
    }
    expect(out[rows] == 0xDEADBEEF, "packed_row_degrees wrote past its rows");
}

// A rows x cols matrix of 0/1 elements of type T in an exactly sized buffer (so ASan sees any
// read past it), read as C order, Fortran order and every other column; one bad value last.
template <class T>
void check_dense_row_degrees(std::uint32_t rows, std::uint32_t cols, ElementKind kind, T one, T bad, std::uint64_t key) {
    const std::string what = "dense_row_degrees " + std::to_string(rows) + "x" + std::to_string(cols) + " size " +
                             std::to_string(sizeof(T));
    std::vector<T> data(std::size_t{rows} * cols);
    std::vector<std::uint32_t> c_order(rows, 0), f_order(rows, 0), every_other(rows, 0);
    for (std::uint32_t r = 0; r < rows; ++r)
        for (std::uint32_t c = 0; c < cols; ++c) {
            const bool set = splitmix(key, std::uint64_t{r} * cols + c) & 1;
            data[std::size_t{r} * cols + c] = set ? one : T{};
            c_order[r] += set;
            every_other[r] += set && c % 2 == 0;
        }
    const auto* base = reinterpret_cast<const std::uint8_t*>(data.data());
    const auto item = static_cast<std::int64_t>(sizeof(T));
    for (int threads : {1, 2, 3}) {
        std::vector<std::uint32_t> out(rows + 1, 0xDEADBEEF);
        // The buffer read as C order, as its transpose (Fortran order), and every other column.
        expect(dense_row_degrees({base, rows, cols, item * cols, item, sizeof(T), kind}, out.data(), threads), what);
        expect(std::equal(c_order.begin(), c_order.end(), out.begin()) && out[rows] == 0xDEADBEEF, what + " C order");
        std::vector<std::uint32_t> transposed(cols + 1, 0xDEADBEEF), expected(cols, 0);
        for (std::uint32_t r = 0; r < rows; ++r)
            for (std::uint32_t c = 0; c < cols; ++c) expected[c] += data[std::size_t{r} * cols + c] == one;
        expect(dense_row_degrees({base, cols, rows, item, item * cols, sizeof(T), kind}, transposed.data(), threads), what);
        expect(std::equal(expected.begin(), expected.end(), transposed.begin()) && transposed[cols] == 0xDEADBEEF,
               what + " Fortran order");
        const std::uint32_t half = (cols + 1) / 2;
        expect(dense_row_degrees({base, rows, half, item * cols, 2 * item, sizeof(T), kind}, out.data(), threads), what);
        expect(std::equal(every_other.begin(), every_other.end(), out.begin()), what + " every other column");
    }
    data.back() = bad;
    std::vector<std::uint32_t> out(rows);
    const bool ok = dense_row_degrees({base, rows, cols, item * cols, item, sizeof(T), kind}, out.data(), 2);
    expect(ok == (kind == ElementKind::boolean), what + " bad value");  // bools: any byte counts, none is bad
}

// The byte kernels of every CPU path this CPU runs against a scalar reference: every length up to
// a few vectors of every width, clean, then one breaking byte at each position (a low byte of 2, a
// high byte of 1: both invalid), and the bool sums of arbitrary bytes.
void check_byte_kernels() {
    std::vector<CpuPath> paths{CpuPath::kBaseline};
    if (best_cpu_path() >= CpuPath::kAvx2) paths.push_back(CpuPath::kAvx2);
    if (best_cpu_path() >= CpuPath::kAvx512) paths.push_back(CpuPath::kAvx512);
    for (const CpuPath path : paths) {
        const ByteCountKernels& kernels = byte_count_kernels(path);
        const std::string name = std::string("byte kernels ") + cpu_path_name(path);
        for (unsigned width : {1u, 2u, 4u, 8u})
            for (std::uint64_t n = 0; n <= 300; n += width) {
                std::vector<std::uint8_t> clean(n);  // exact size: ASan sees any read past n
                std::uint64_t ones = 0;
                for (std::uint64_t i = 0; i < n; i += width) {
                    clean[i] = splitmix(n * 8 + width, i) & 1;
                    ones += clean[i];
                }
                const std::string what = name + " width " + std::to_string(width) + " n " + std::to_string(n);
                bool bad = false;
                std::uint32_t sum = 0;
                kernels.count_rows(clean.data(), 1, 0, n, width, false, &sum, bad);
                expect(sum == ones && !bad, what + " clean");
                expect(kernels.high_bits(clean.data(), n) == 0, what + " clean high bits");
                for (std::uint64_t at = 0; at < n; ++at) {
                    std::vector<std::uint8_t> broken(clean);
                    broken[at] = at % width == 0 ? 2 : 1;
                    bad = false;
                    kernels.count_rows(broken.data(), 1, 0, n, width, false, &sum, bad);
                    expect(bad, what + " bad byte at " + std::to_string(at));
                    expect((kernels.high_bits(broken.data(), n) != 0) == (broken[at] > 1), what + " high bits");
                }
                std::vector<std::uint8_t> any(n);
                std::uint64_t nonzero = 0;
                for (std::uint64_t i = 0; i < n; ++i) {
                    any[i] = static_cast<std::uint8_t>(splitmix(n + 7, i) % 3 == 0 ? 0 : splitmix(n + 9, i));
                    nonzero += any[i] != 0;
                }
                bad = false;
                kernels.count_rows(any.data(), 1, 0, n, width, true, &sum, bad);
                expect(sum == nonzero && !bad, what + " clamped");
            }
    }
}

// The bytes of a vector, each read copied out of an exactly sized buffer (ASan sees a read past
// what was asked for); ends after `available` bytes, like a file cut short.
class VectorSource final : public ByteSource {
public:
    VectorSource(const std::vector<std::uint8_t>& bytes, std::uint64_t available) : bytes_(bytes), available_(available) {}
    int read(std::uint8_t* into, std::uint64_t n, std::uint64_t offset) const override {
        if (offset + n > available_) return kEnded;
        std::memcpy(into, bytes_.data() + offset, n);
        return 0;
    }

private:
    const std::vector<std::uint8_t>& bytes_;
    std::uint64_t available_;
};

// A rows x cols matrix of 0/1 elements of type T streamed in chunks of every kind (sub-element,
// a few elements, a few rows, all of it) on 1-3 threads: degrees and bool bytes as the data says;
// then one bad value last, then the data cut short.
template <class T>
void check_streamed_dense(std::uint32_t rows, std::uint32_t cols, ElementKind kind, T one, T bad, std::uint64_t key) {
    const std::string what = "streamed dense " + std::to_string(rows) + "x" + std::to_string(cols) + " size " +
                             std::to_string(sizeof(T));
    std::vector<T> data(std::size_t{rows} * cols);
    std::vector<std::uint32_t> degrees(rows, 0);
    std::vector<std::uint8_t> bits(data.size());
    for (std::size_t x = 0; x < data.size(); ++x) {
        bits[x] = splitmix(key, x) & 1;
        data[x] = bits[x] ? one : T{};
        degrees[x / cols] += bits[x];
    }
    std::vector<std::uint8_t> bytes(data.size() * sizeof(T));
    std::memcpy(bytes.data(), data.data(), bytes.size());
    const StreamedMatrix m{rows, cols, sizeof(T), kind};
    const VectorSource whole(bytes, bytes.size());
    for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{64}, std::uint64_t{cols} * sizeof(T) * 3,
                                std::uint64_t{1} << 30})
        for (int threads : {1, 2, 3}) {
            const std::string at = what + " chunk " + std::to_string(chunk) + " threads " + std::to_string(threads);
            std::vector<std::uint32_t> out(rows + 1, 0xDEADBEEF);
            expect(streamed_row_degrees(whole, m, chunk, out.data(), threads).status == StreamStatus::ok, at);
            expect(std::equal(degrees.begin(), degrees.end(), out.begin()) && out[rows] == 0xDEADBEEF, at + " degrees");
            std::vector<std::uint8_t> matrix(bits.size() + 1, 0xAB);
            expect(streamed_bool_matrix(whole, m, chunk, matrix.data(), threads).status == StreamStatus::ok, at);
            expect(std::equal(bits.begin(), bits.end(), matrix.begin()) && matrix.back() == 0xAB, at + " matrix");
            const VectorSource cut(bytes, bytes.size() - 1);
            expect(streamed_row_degrees(cut, m, chunk, out.data(), threads).status == StreamStatus::ended, at + " cut");
            expect(streamed_bool_matrix(cut, m, chunk, matrix.data(), threads).status == StreamStatus::ended, at + " cut");
        }
    std::memcpy(bytes.data() + bytes.size() - sizeof(T), &bad, sizeof(T));
    const StreamStatus expected = kind == ElementKind::boolean ? StreamStatus::ok : StreamStatus::not_binary;
    std::vector<std::uint32_t> out(rows);
    std::vector<std::uint8_t> matrix(bits.size());
    expect(streamed_row_degrees(whole, m, 64, out.data(), 2).status == expected, what + " bad value");
    expect(streamed_bool_matrix(whole, m, 64, matrix.data(), 2).status == expected, what + " bad value");
}

// A P1 raster of random digits and whitespace, fed in chunks of every size from 1 to 40 bytes.
void check_p1_row_degrees(std::uint32_t rows, std::uint32_t width, std::uint64_t key) {
    std::vector<std::uint8_t> text;
    std::vector<std::uint32_t> expected(rows, 0);
    for (std::uint64_t x = 0; x < std::uint64_t{rows} * width; ++x) {
        const std::uint64_t z = splitmix(key, x);
        if ((z >> 8) % 5 == 0) text.push_back(" \t\n\r\v\f"[(z >> 16) % 6]);
        text.push_back((z & 1) ? '1' : '0');
        expected[x / width] += z & 1;
    }
    for (std::uint64_t chunk = 1; chunk <= 40; ++chunk) {
        std::vector<std::uint32_t> out(rows + 1, 0xDEADBEEF);
        P1Scan scan;
        bool clean = true;
        for (std::size_t at = 0; at < text.size(); at += chunk) {
            const std::size_t n = std::min<std::size_t>(chunk, text.size() - at);
            std::vector<std::uint8_t> piece(text.begin() + at, text.begin() + at + n);  // exact size
            clean = clean && p1_row_degrees_chunk(piece.data(), n, width, rows, out.data(), scan) < 0;
        }
        expect(clean && scan.digits == std::uint64_t{rows} * width && out[rows] == 0xDEADBEEF &&
                   std::equal(expected.begin(), expected.end(), out.begin()),
               "p1_row_degrees " + std::to_string(rows) + "x" + std::to_string(width) + " chunk " + std::to_string(chunk));
    }
    std::vector<std::uint8_t> bad(text);
    bad[bad.size() / 2] = 'x';
    std::vector<std::uint32_t> out(rows);
    P1Scan scan;
    expect(p1_row_degrees_chunk(bad.data(), bad.size(), width, rows, out.data(), scan) == std::int64_t(bad.size() / 2),
           "p1_row_degrees finds the bad byte");
}

template <class F>
void expect_throws(F f, const std::string& what) {
    try {
        f();
        expect(false, what + ": no exception");
    } catch (const std::invalid_argument&) {
        expect(true, what);
    }
}

void check_refusals() {
    const std::vector<std::uint32_t> s{3, 1}, t{1, 1};
    RouteOptions o;
    o.k = 2;
    expect_throws([&] { Router r(s.data(), 2, t.data(), 2, o); }, "s_i > E");
    o.k = 0;
    expect_throws([&] { Router r(t.data(), 2, t.data(), 2, o); }, "k = 0");
    o.k = 1;
    Router ok(t.data(), 2, t.data(), 2, o);
    std::int32_t out[4];
    expect_throws([&] { route_rows(ok, 1, 3, 1, out); }, "row range past M");
    expect_throws([&] { route_rows(ok, 2, 1, 1, out); }, "reversed row range");
}

// A cancel request stops each kernel with Cancelled, through run_parallel's worker threads, with
// nothing leaked; once cleared, the same call gives the same routes as before.
void check_cancellation() {
    const std::uint32_t M = 3000, E = 1000, k = 8;
    std::vector<std::uint32_t> s(M), t(E);
    for (std::uint32_t i = 0; i < M; ++i) s[i] = 1 + static_cast<std::uint32_t>(splitmix(7, i) % E);
    for (std::uint32_t j = 0; j < E; ++j) t[j] = 1 + static_cast<std::uint32_t>(splitmix(8, j) % M);
    RouteOptions o;
    o.k = k;
    const Router router(s.data(), M, t.data(), E, o);
    Routes before(std::size_t{M} * k), after(std::size_t{M} * k);
    route_rows(router, 0, M, 2, before.data());
    auto cancelled = [](auto f, const std::string& what) {
        request_cancel();
        bool stopped = false;
        try {
            f();
        } catch (const Cancelled&) {
            stopped = true;
        }
        clear_cancel();
        expect(stopped, what + " stops on a cancel request");
    };
    cancelled([&] { Router r(s.data(), M, t.data(), E, o); }, "Router preparation");
    cancelled([&] { route_rows(router, 0, M, 2, after.data()); }, "route_rows");
    GreedyOptions g;
    g.k = k;
    g.threads = 2;
    cancelled([&] { select_greedy(router, g, after.data()); }, "select_greedy");
    cancelled([&] { select_random(router, 0, k, 0, M, 2, after.data()); }, "select_random");
    BalancedOptions b;
    b.k = k;
    b.threads = 2;
    cancelled([&] { select_balanced(router, b, after.data()); }, "select_balanced");
    OptimalOptions opt;
    opt.k = k;
    opt.threads = 2;
    cancelled([&] { select_optimal(router, opt, after.data()); }, "select_optimal");
    std::vector<std::uint32_t> counts(M);
    for (std::uint32_t i = 0; i < M; ++i) counts[i] = std::min(s[i], k);
    cancelled([&] { hash_route_uniform(counts.data(), M, E, k, 1, 2, after.data()); }, "hash_route_uniform");
    cancelled([&] { summarize_routes(before.data(), M, k, E, 2); }, "summarize_routes");
    route_rows(router, 0, M, 2, after.data());
    expect(before == after, "routes after a cleared cancel equal the routes before");
}

}  // namespace

int main(int argc, char** argv) {
    const bool small = argc > 1 && std::strcmp(argv[1], "small") == 0;
    std::vector<Case> cases;
    const std::uint32_t dims[] = {1, 2, 63, 64, 65, 127, 129, 200, 777, 1000, 3000};
    std::uint64_t seed = 1;
    for (std::uint32_t M : dims)
        for (std::uint32_t E : dims) {
            if ((small && (M > 200 || E > 200)) || std::uint64_t{M} * E > 800000) continue;
            for (std::uint32_t k : {1u, 3u, 64u, E + 5}) {
                const int pattern = static_cast<int>(seed % 5);
                cases.push_back({M, E, k, pattern, seed++ * 0x9E3779B97F4A7C15ULL});
            }
        }
    for (const Case& c : cases) check_router(c);
    for (std::uint32_t width : {1u, 7u, 8u, 9u, 63u, 64u, 65u, 200u, 513u})
        for (std::uint32_t rows : {1u, 5u, 64u}) check_packed_row_degrees(rows, width, width * 31 + rows);
    for (std::uint32_t cols : {1u, 15u, 16u, 33u, 100u, 257u})
        for (std::uint32_t rows : {1u, 7u, 64u}) {
            const std::uint64_t key = cols * 131 + rows;
            check_dense_row_degrees<std::uint8_t>(rows, cols, ElementKind::integer, 1, 2, key);
            check_dense_row_degrees<std::uint8_t>(rows, cols, ElementKind::boolean, 1, 7, key);
            check_dense_row_degrees<std::int16_t>(rows, cols, ElementKind::integer, 1, 256, key);
            check_dense_row_degrees<std::uint64_t>(rows, cols, ElementKind::integer, 1, 1ULL << 40, key);
            check_dense_row_degrees<float>(rows, cols, ElementKind::floating, 1.0f, 0.5f, key);
            check_dense_row_degrees<double>(rows, cols, ElementKind::floating, 1.0, -1.0, key);
            check_streamed_dense<std::uint8_t>(rows, cols, ElementKind::integer, 1, 2, key);
            check_streamed_dense<std::uint8_t>(rows, cols, ElementKind::boolean, 1, 7, key);
            check_streamed_dense<std::int16_t>(rows, cols, ElementKind::integer, 1, 256, key);
            check_streamed_dense<double>(rows, cols, ElementKind::floating, 1.0, -1.0, key);
        }
    for (std::uint32_t width : {1u, 5u, 16u, 17u, 70u})
        for (std::uint32_t rows : {1u, 3u, 20u}) check_p1_row_degrees(rows, width, width * 7 + rows);
    check_byte_kernels();
    check_refusals();
    check_cancellation();
    std::printf("kernel_check: %zu cases, %llu checks, %d failures\n", cases.size(),
                static_cast<unsigned long long>(checks), failures);
    return failures == 0 ? 0 : 1;
}

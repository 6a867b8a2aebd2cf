// The selection policies on any candidate source, all bound by one template with one argument
// order:
//   select_<policy>(source, k, seed, begin=0, end=None, threads=0, out=None, **options)
//     -> (routes, report: dict)
// end=None means source.M. A row-local policy routes rows [begin, end); the others route all rows
// and refuse any other range. With totals=True the result is (routes, report, totals), totals
// being (active routes, rows with fewer than k routes, rows with none, routes per target as
// int64[E]): what a routing's statistics need, taken in the same call (random tallies each row
// as it writes it; the other policies, which may move a route until their last step, in one pass
// after it). An option left out or given as None keeps the default of the
// policy's C++ options struct, the one place each default is defined (selection_defaults()
// shows them). Adding a policy is one traits struct below and one name in Policies.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bindings/arrays.hpp"
#include "bindings/balanced_report.hpp"
#include "bindings/kernel_call.hpp"
#include "selection/policy_balanced.hpp"
#include "selection/policy_greedy.hpp"
#include "selection/policy_optimal.hpp"
#include "selection/policy_random.hpp"
#include "selection/route_totals.hpp"
#include "selection/row_bitmaps.hpp"
#include "stats/route_summary.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

// Every traits struct gives: name; row_local; doc (its part of the docstring); Options (with
// k, threads and, where the policy draws, seed); visit_options, which names each keyword option
// and its field; Report, run (called with the GIL released; it gets the totals to tally rows into,
// or nullptr, and returns whether it tallied them) and describe (the report as a dict).

struct RandomPolicy {
    static constexpr const char* name = "random";
    static constexpr bool row_local = true;
    static constexpr const char* doc =
        "select='random' (docs/SPEC.md step 7): each row keeps a uniformly random min(k, c_i)-subset of its "
        "candidates; row-local. No options; the report is empty.";
    struct Options {
        std::uint32_t k = 1;
        std::uint64_t seed = 0;
        int threads = 0;
    };
    template <class Visit>
    static void visit_options(Options&, Visit&) {}
    struct Report {};
    static bool run(const CandidateSource& source, const Options& o, std::uint32_t begin, std::uint32_t end,
                    std::int32_t* out, Report&, SharedRouteTotals* totals) {
        select_random(source, o.seed, o.k, begin, end, o.threads, out, totals);
        return true;
    }
    static py::dict describe(const Report&) { return py::dict(); }
};

struct GreedyPolicy {
    static constexpr const char* name = "greedy";
    static constexpr bool row_local = false;
    static constexpr const char* doc =
        "select='greedy' (docs/BASELINES.md): the k least loaded candidates relative to t_j, rows in a "
        "seed-derived order, in blocks that see the loads as of the block's start. Option: block (rows per "
        "block; 0 or None: max(1, M // 1024)). Report: block (the block used).";
    using Options = GreedyOptions;
    template <class Visit>
    static void visit_options(Options& o, Visit& visit) {
        visit("block", o.block);
    }
    struct Report {
        std::uint32_t block = 0;
    };
    static bool run(const CandidateSource& source, const Options& o, std::uint32_t, std::uint32_t,
                    std::int32_t* out, Report& report, SharedRouteTotals*) {
        select_greedy(source, o, out);
        report = {greedy_block(o.block, source.sources())};
        return false;
    }
    static py::dict describe(const Report& r) {
        py::dict d;
        d["block"] = r.block;
        return d;
    }
};

struct BalancedPolicy {
    static constexpr const char* name = "balanced";
    static constexpr bool row_local = false;
    static constexpr const char* doc =
        "select='balanced' (docs/SPEC.md, 'Balanced selection'): min(k, c_i) candidates per row with the "
        "maximum column load within 2 % (or one route) of the lower bound, or proven optimal. Options: rounds (repair rounds at "
        "most); store (phase C's working store: 0 by memory, 1 sorted lists, 2 row bitmaps; the routes are the same). Report: lower_bound, goal, rounds_run, moves, direct_moves, sweeps, augmentations, proven_optimal, max_load.";
    using Options = BalancedOptions;
    template <class Visit>
    static void visit_options(Options& o, Visit& visit) {
        visit("rounds", o.rounds);
        visit("store", o.store);
    }
    using Report = BalancedReport;
    static bool run(const CandidateSource& source, const Options& o, std::uint32_t, std::uint32_t,
                    std::int32_t* out, Report& report, SharedRouteTotals*) {
        select_balanced(source, o, out, &report);
        return false;
    }
    static py::dict describe(const Report& r) { return balanced_report_dict(r); }
};

struct OptimalPolicy {
    static constexpr const char* name = "optimal";
    static constexpr bool row_local = false;
    static constexpr const char* doc =
        "select='optimal': the smallest possible maximum column load (relative=True: load / t_j) over all "
        "selections of min(k, c_i) candidates per row, proven by max-flow; preference=True: at that optimum, "
        "the selection keeping the most candidate weight (minimum-cost flow). Options: relative, preference, "
        "max_pairs (ValueError past that many candidate pairs). Report: numerator, denominator (the optimum), "
        "candidate_pairs, max_flows, kept_weight, augmentations, exchanges.";
    struct Options : OptimalOptions {
        std::uint64_t seed = 0;  // the optimum is unique in value; its routes do not draw from the seed
    };
    template <class Visit>
    static void visit_options(Options& o, Visit& visit) {
        visit("relative", o.relative);
        visit("preference", o.preference);
        visit("max_pairs", o.max_candidate_pairs);
    }
    using Report = OptimalResult;
    static bool run(const CandidateSource& source, const Options& o, std::uint32_t, std::uint32_t,
                    std::int32_t* out, Report& report, SharedRouteTotals*) {
        report = select_optimal(source, o, out);  // std::length_error past max_pairs: ValueError in Python
        return false;
    }
    static py::dict describe(const Report& r) {
        py::dict d;
        d["numerator"] = r.numerator;
        d["denominator"] = r.denominator;
        d["candidate_pairs"] = r.candidate_pairs;
        d["max_flows"] = r.max_flows;
        d["kept_weight"] = r.kept_weight;
        d["augmentations"] = r.augmentations;
        d["exchanges"] = r.exchanges;
        return d;
    }
};

template <class... Policy>
struct PolicyList {};
using Policies = PolicyList<RandomPolicy, GreedyPolicy, BalancedPolicy, OptimalPolicy>;

// Sets each named option that was given and is not None; then refuses names no option claimed.
class OptionReader {
public:
    OptionReader(const char* policy, const py::kwargs& given) : policy_(policy), given_(given) {}

    template <class T>
    void operator()(const char* name, T& field) {
        known_.emplace_back(name);
        if (!given_.contains(name)) return;
        const py::object value = given_[name];
        if (value.is_none()) return;
        try {
            field = value.cast<T>();
        } catch (const py::cast_error&) {
            throw py::type_error(std::string("select_") + policy_ + ": option " + name + " has the wrong type");
        }
    }

    void refuse_unknown() const {
        for (const auto& item : given_) {
            const auto name = py::str(item.first).cast<std::string>();
            if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
            std::string known;
            for (const auto& k : known_) known += (known.empty() ? "" : ", ") + k;
            throw py::type_error(std::string("select_") + policy_ + " has no option " + name +
                                 (known.empty() ? " (it takes none)" : " (options: " + known + ")"));
        }
    }

private:
    const char* policy_;
    const py::kwargs& given_;
    std::vector<std::string> known_;
};

// A policy's default options as a dict. Flags (bool options) default to off and are not listed.
class DefaultsWriter {
public:
    explicit DefaultsWriter(py::dict& out) : out_(out) {}
    template <class T>
    void operator()(const char* name, const T& field) {
        out_[name] = field;
    }
    void operator()(const char*, const bool&) {}

private:
    py::dict& out_;
};

template <class Policy>
typename Policy::Options make_options(std::uint32_t k, std::uint64_t seed, int threads) {
    typename Policy::Options options;
    options.k = k;
    options.seed = seed;
    options.threads = threads;
    return options;
}

py::tuple totals_tuple(const RouteTotals& totals) {
    py::array_t<std::int64_t> loads(static_cast<py::ssize_t>(totals.loads.size()));
    std::copy(totals.loads.begin(), totals.loads.end(), loads.mutable_data());
    return py::make_tuple(totals.active, totals.underfilled, totals.empty_rows, loads);
}

template <class Policy>
py::tuple select_rows(const CandidateSource& source, std::uint32_t k, std::uint64_t seed, std::uint32_t begin,
                      std::optional<std::uint32_t> end, int threads, std::optional<RoutesArray> out, bool totals,
                      const py::kwargs& given) {
    if (k == 0) throw py::value_error("k must be at least 1");
    const std::uint32_t M = source.sources();
    const std::uint32_t stop = end.value_or(M);
    if (begin > stop || stop > M) throw py::value_error("row range outside [0, M]");
    if (!Policy::row_local && (begin != 0 || stop != M))
        throw py::value_error(std::string("select_") + Policy::name +
                              " routes all rows together: begin and end must be 0 and M");
    auto options = make_options<Policy>(k, seed, threads);
    OptionReader reader(Policy::name, given);
    Policy::visit_options(options, reader);
    reader.refuse_unknown();
    RoutesArray routes = routes_buffer(std::move(out), stop - begin, k);
    std::int32_t* data = routes.mutable_data();
    typename Policy::Report report;
    std::optional<SharedRouteTotals> tally;
    if (totals) tally.emplace(source.targets());
    {
        KernelCall call;
        const bool tallied = Policy::run(source, options, begin, stop, data, report, tally ? &*tally : nullptr);
        if (tally && !tallied) tally->total() = summarize_routes(data, stop - begin, k, source.targets(), threads);
    }
    if (!tally) return py::make_tuple(routes, Policy::describe(report));
    return py::make_tuple(routes, Policy::describe(report), totals_tuple(tally->total()));
}

template <class Policy>
void bind_policy(py::module_& m) {
    static const std::string function = std::string("select_") + Policy::name;
    static const std::string doc =
        std::string(Policy::doc) +
        "\n\n(routes, report) for rows [begin, end) of source (end None: source.M): routes is an "
        "(end - begin) x k int32 array, ascending, -1 padded; out, when given, is such an array, overwritten "
        "and returned. Policies that are not row-local need (begin, end) == (0, M). totals=True adds a third "
        "item, (active routes, rows with fewer than k routes, rows with none, routes per target as int64[E]). "
        "Options are keywords; None keeps the default (selection_defaults()).";
    m.def(function.c_str(), &select_rows<Policy>, doc.c_str(), py::arg("source"), py::arg("k"), py::arg("seed"),
          py::arg("begin") = 0, py::arg("end") = py::none(), py::arg("threads") = 0, py::arg("out") = py::none(),
          py::arg("totals") = false);
}

template <class Policy>
void add_defaults(py::dict& table) {
    typename Policy::Options options;
    py::dict defaults;
    DefaultsWriter writer(defaults);
    Policy::visit_options(options, writer);
    if (!defaults.empty()) table[Policy::name] = defaults;
}

template <class... Policy>
void bind_policies(py::module_& m, PolicyList<Policy...>) {
    (bind_policy<Policy>(m), ...);
    m.def("selection_defaults", [] {
        py::dict table;
        (add_defaults<Policy>(table), ...);
        return table;
    }, "{policy: {option: default}} from the C++ options structs, the one place each default is defined. "
       "greedy's block 0 means max(1, M // 1024), computed from M at run time.");
}

}  // namespace

void bind_selection(py::module_& m) {
    bind_policies(m, Policies{});
    m.def("balanced_bitmap_bytes", [](std::uint64_t M, std::uint64_t E, std::uint64_t k) -> std::uint64_t {
        return RowBitmaps::fit(M, E, k) ? RowBitmaps::bytes(M, E) : 0;
    }, py::arg("M"), py::arg("E"), py::arg("k"),
       "Bytes of select_balanced's phase C row bitmaps when store=0 chooses them for M sources, E targets "
       "and k, else 0 (phase C keeps sorted lists).");
}

}  // namespace phase_router::bindings

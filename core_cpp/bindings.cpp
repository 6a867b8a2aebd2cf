// The one pybind11 file: thin wrappers that take NumPy buffers, release the GIL and call the
// core. Validation and friendly messages live in Python (phase_router/_validate.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/cancellation.hpp"
#include "common/cpu_path.hpp"
#include "common/permutation.hpp"
#include "ring/router.hpp"
#include "degrees/row_degrees.hpp"
#include "degrees/dense_row_degrees.hpp"
#include "degrees/p1_row_degrees.hpp"
#include "inputs/bernoulli_bits.hpp"
#include "stats/route_summary.hpp"
#include "selection/random.hpp"
#include "common/splitmix.hpp"
#include "baselines/hash.hpp"
#include "baselines/two_choice.hpp"
#include "selection/policy_greedy.hpp"
#include "selection/policy_optimal.hpp"
#include "selection/policy_random.hpp"
#include "candidates/mask_candidates.hpp"
#include "selection/policy_balanced.hpp"

namespace py = pybind11;
using namespace phase_router;

// ---- cancellation: signals that stop a running kernel (docs/RELIABILITY.md) ----
// While any kernel runs with the GIL released, SIGINT (and, once the CLI asks, SIGTERM and SIGHUP)
// go first to on_signal, which sets the core's cancel flag and then calls the handler that was
// installed before (Python's own C handler), so Python still sees the signal. The kernel stops at
// its next poll and throws Cancelled; the translator below runs the Python-level handler
// (PyErr_CheckSignals) in the main thread, which raises KeyboardInterrupt or what the CLI
// installed, and raises KeyboardInterrupt itself if that raised nothing (another thread, or a
// handler that returns). A signal whose disposition is SIG_DFL or SIG_IGN is left alone: the
// default action ends the process at once anyway, and an ignored signal must stay ignored.
//
// The flag stays set until the main thread starts its next kernel call (by then Python has run
// the signal's handler there): kernels that worker threads start after the signal (a thread
// pool's queued work: sweeps, Monte-Carlo seeds) stop at once too, so the pool drains quickly.
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kSignalCount = 3;

struct SignalState {
    std::mutex mutex;
    int active_calls = 0;
    bool enabled[kSignalCount] = {true, false, false};  // SIGINT only until set_cancel_signals
    bool installed[kSignalCount] = {false, false, false};
    struct sigaction previous[kSignalCount];
    unsigned long main_thread = 0;  // PyThread ident of Python's main thread
};

SignalState& signal_state() {
    static SignalState* state = new SignalState();  // never destroyed: a handler may run at exit
    return *state;
}

extern "C" void on_signal(int signum, siginfo_t* info, void* context) {
    request_cancel();  // a lock-free atomic store: async-signal-safe
    SignalState& state = signal_state();
    for (int x = 0; x < kSignalCount; ++x) {
        if (kSignals[x] != signum) continue;
        const struct sigaction& before = state.previous[x];
        if (before.sa_flags & SA_SIGINFO) {
            if (before.sa_sigaction) before.sa_sigaction(signum, info, context);
        } else if (before.sa_handler != SIG_DFL && before.sa_handler != SIG_IGN && before.sa_handler) {
            before.sa_handler(signum);
        }
    }
}

bool handler_is_ours(const struct sigaction& action) {
    return (action.sa_flags & SA_SIGINFO) && action.sa_sigaction == &on_signal;
}

// Installs on_signal around kernel calls (reference-counted: kernels may run in several threads
// at once); the last call to end restores the previous handlers unless someone replaced ours
// meanwhile (then theirs stays).
class SignalScope {
public:
    SignalScope() {
        SignalState& state = signal_state();
        std::lock_guard<std::mutex> lock(state.mutex);
        if (PyThread_get_thread_ident() == state.main_thread) clear_cancel();
        if (state.active_calls++ > 0) return;
        for (int x = 0; x < kSignalCount; ++x) {
            state.installed[x] = false;
            if (!state.enabled[x]) continue;
            struct sigaction current;
            if (sigaction(kSignals[x], nullptr, &current) != 0) continue;
            const bool plain = !(current.sa_flags & SA_SIGINFO);
            if (plain && (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN)) continue;
            if (handler_is_ours(current)) continue;
            state.previous[x] = current;
            struct sigaction ours = {};
            ours.sa_sigaction = &on_signal;
            ours.sa_mask = current.sa_mask;
            ours.sa_flags = SA_SIGINFO | (current.sa_flags & (SA_RESTART | SA_ONSTACK));
            state.installed[x] = sigaction(kSignals[x], &ours, nullptr) == 0;
        }
    }
    ~SignalScope() {
        SignalState& state = signal_state();
        std::lock_guard<std::mutex> lock(state.mutex);
        if (--state.active_calls > 0) return;
        for (int x = 0; x < kSignalCount; ++x) {
            if (!state.installed[x]) continue;
            struct sigaction current;
            if (sigaction(kSignals[x], nullptr, &current) == 0 && handler_is_ours(current))
                sigaction(kSignals[x], &state.previous[x], nullptr);
            state.installed[x] = false;
        }
    }
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;
};

// What every binding holds while its kernel runs: the signal handlers, then the GIL released.
// A signal that arrived before the call (Python has not run its handler yet) is acted on first,
// instead of after a kernel that may run for minutes.
class KernelCall {
public:
    KernelCall() {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        release_.emplace();
    }

private:
    SignalScope signals_;
    std::optional<py::gil_scoped_release> release_;
};

// set_cancel_signals([SIGINT, SIGTERM, SIGHUP]): which signals stop a running kernel.
void set_cancel_signals(const std::vector<int>& signums) {
    SignalState& state = signal_state();
    std::lock_guard<std::mutex> lock(state.mutex);
    for (int x = 0; x < kSignalCount; ++x) state.enabled[x] = false;
    for (const int signum : signums) {
        bool known = false;
        for (int x = 0; x < kSignalCount; ++x)
            if (kSignals[x] == signum) state.enabled[x] = known = true;
        if (!known) throw py::value_error("only SIGINT, SIGTERM and SIGHUP can cancel a kernel");
    }
}

std::vector<int> cancel_signals() {
    SignalState& state = signal_state();
    std::lock_guard<std::mutex> lock(state.mutex);
    std::vector<int> out;
    for (int x = 0; x < kSignalCount; ++x)
        if (state.enabled[x]) out.push_back(kSignals[x]);
    return out;
}

void translate_cancelled(std::exception_ptr failure) {
    try {
        if (failure) std::rethrow_exception(failure);
    } catch (const Cancelled&) {
        if (PyErr_CheckSignals() != 0) return;  // the Python-level handler raised: keep its exception
        PyErr_SetString(PyExc_KeyboardInterrupt, "phase-router kernel cancelled by a signal");
    }
}

}  // namespace

namespace {

using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

using RoutesArray = py::array_t<std::int32_t, py::array::c_style>;

RoutesArray routes_buffer(std::optional<RoutesArray> out_buffer, std::uint32_t rows, std::uint32_t k) {
    RoutesArray routes = out_buffer ? *out_buffer
                                    : RoutesArray({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(k)});
    if (routes.ndim() != 2 || routes.shape(0) != static_cast<py::ssize_t>(rows) ||
        routes.shape(1) != static_cast<py::ssize_t>(k))
        throw py::value_error("out must have shape (rows, k)");
    return routes;
}

std::unique_ptr<Router> make_router(const U32Array& s, const U32Array& t, std::uint32_t k, std::uint64_t seed,
                                    bool row_perm, int strategy, std::uint64_t checkpoint_budget) {
    if (s.ndim() != 1 || t.ndim() != 1) throw py::value_error("degrees must be 1-D");
    if (strategy < 0 || strategy > 2) throw py::value_error("strategy must be 0 (auto), 1 (dense) or 2 (sparse)");
    RouteOptions options;
    options.k = k;
    options.seed = seed;
    options.row_perm = row_perm;
    options.strategy = static_cast<Strategy>(strategy);
    if (checkpoint_budget != 0) options.checkpoint_budget_bytes = checkpoint_budget;
    const std::uint32_t* s_ptr = s.data();
    const std::uint32_t* t_ptr = t.data();
    const auto M = static_cast<std::uint32_t>(s.shape(0));
    const auto E = static_cast<std::uint32_t>(t.shape(0));
    KernelCall call;
    return std::make_unique<Router>(s_ptr, M, t_ptr, E, options);
}

// Rows [begin, end) of the routing; `out`, when given, is a (end - begin) x k int32 C-contiguous
// array that is overwritten and returned: routing again into the same buffer skips the
// first-touch page faults of a fresh one.
RoutesArray route_rows_py(const Router& router, std::uint32_t begin, std::uint32_t end, int threads,
                          std::optional<RoutesArray> out_buffer) {
    if (begin > end || end > router.M()) throw py::value_error("row range outside [0, M]");
    RoutesArray routes = routes_buffer(std::move(out_buffer), end - begin, router.k());
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        router.route_rows(begin, end, out, threads);
    }
    return routes;
}

RoutesArray route_degrees_py(const U32Array& s, const U32Array& t, std::uint32_t k, std::uint64_t seed,
                             bool row_perm, int threads, std::optional<RoutesArray> out_buffer, int strategy) {
    const auto router = make_router(s, t, k, seed, row_perm, strategy, 0);
    return route_rows_py(*router, 0, router->M(), threads, std::move(out_buffer));
}

py::array_t<std::uint32_t> packed_row_degrees_py(
    const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& packed, std::uint64_t width,
    int threads) {
    if (packed.ndim() != 2) throw py::value_error("packed rows must be 2-D");
    const auto rows = static_cast<std::uint64_t>(packed.shape(0));
    const auto row_bytes = static_cast<std::uint64_t>(packed.shape(1));
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(rows));
    const std::uint8_t* data = packed.data();
    std::uint32_t* out_ptr = out.mutable_data();
    {
        KernelCall call;
        packed_row_degrees(data, rows, row_bytes, width, out_ptr, threads);
    }
    return out;
}

py::array_t<std::uint32_t> keyed_permutation_py(std::uint64_t key, std::uint32_t n) {
    std::vector<std::uint32_t> perm;
    {
        KernelCall call;
        perm = keyed_permutation(key, n);
    }
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(n));
    std::copy(perm.begin(), perm.end(), out.mutable_data());
    return out;
}

// The kept (or dropped) ranks Floyd's algorithm marks for one row, ascending.
py::array_t<std::uint32_t> sample_ranks_py(std::uint64_t row_key, std::uint32_t n, std::uint32_t count) {
    if (count > n) throw py::value_error("count must not exceed n");
    std::vector<std::uint8_t> marks((static_cast<std::size_t>(n) + 63) / 64 * 64, 0);
    std::vector<std::uint64_t> ranks(n / 64 + 2, 0);
    sample_ranks(row_key, n, count, marks.data(), ranks.data());
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(count));
    std::uint32_t* o = out.mutable_data();
    std::size_t m = 0;
    for (std::uint32_t r = 0; r < n; ++r)
        if ((ranks[r >> 6] >> (r & 63)) & 1ULL) o[m++] = r;
    return out;
}

// (active routes, rows under k, column loads) of an M x k routes array.
py::tuple route_summary_py(const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& routes,
                           std::uint32_t E, int threads) {
    if (routes.ndim() != 2) throw py::value_error("routes must be 2-D");
    const auto M = static_cast<std::uint64_t>(routes.shape(0));
    const auto k = static_cast<std::uint32_t>(routes.shape(1));
    const std::int32_t* data = routes.data();
    RouteSummary summary;
    {
        KernelCall call;
        summary = summarize_routes(data, M, k, E, threads);
    }
    py::array_t<std::int64_t> loads(static_cast<py::ssize_t>(E));
    std::copy(summary.column_loads.begin(), summary.column_loads.end(), loads.mutable_data());
    return py::make_tuple(summary.active, summary.underfilled, loads);
}

// Successive DrawStream::bounded(bounds[x]) values of one row's stream.
py::array_t<std::uint32_t> bounded_draws_py(std::uint64_t row_key,
                                            const py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>& bounds) {
    py::array_t<std::uint32_t> out(bounds.size());
    DrawStream stream(row_key);
    for (py::ssize_t x = 0; x < bounds.size(); ++x) {
        if (bounds.data()[x] == 0) throw py::value_error("bounds must be at least 1");
        out.mutable_data()[x] = stream.bounded(bounds.data()[x]);
    }
    return out;
}

}  // namespace

// ---- baselines and the greedy selection policy (docs/BASELINES.md) ----
namespace {

RoutesArray new_routes(std::uint32_t M, std::uint32_t k) {
    return RoutesArray({static_cast<py::ssize_t>(M), static_cast<py::ssize_t>(k)});
}

RoutesArray hash_route_py(const U32Array& counts, const U32Array& weights, std::uint32_t E, std::uint32_t k,
                          std::uint64_t seed, bool weighted, int threads) {
    if (counts.ndim() != 1) throw py::value_error("counts must be 1-D");
    const auto M = static_cast<std::uint32_t>(counts.shape(0));
    if (weighted && weights.size() != static_cast<py::ssize_t>(E)) throw py::value_error("weights must have E entries");
    RoutesArray routes = new_routes(M, k);
    const std::uint32_t* c = counts.data();
    const std::uint32_t* w = weights.data();
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        if (weighted) hash_route_weighted(c, M, w, E, k, seed, threads, out);
        else hash_route_uniform(c, M, E, k, seed, threads, out);
    }
    return routes;
}

RoutesArray two_choice_route_py(const U32Array& counts, const U32Array& weights, std::uint32_t k, std::uint64_t seed) {
    if (counts.ndim() != 1 || weights.ndim() != 1) throw py::value_error("counts and weights must be 1-D");
    const auto M = static_cast<std::uint32_t>(counts.shape(0));
    const auto E = static_cast<std::uint32_t>(weights.shape(0));
    RoutesArray routes = new_routes(M, k);
    const std::uint32_t* c = counts.data();
    const std::uint32_t* w = weights.data();
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        two_choice_route(c, M, w, E, k, seed, out);
    }
    return routes;
}

// The selection policies on any candidate source (the phase Router, a mask): each writes rows of
// routes into `out` ((end - begin) x k for random; all M rows for greedy and optimal).
RoutesArray select_random_py(const CandidateSource& source, std::uint64_t seed, std::uint32_t k, std::uint32_t begin,
                             std::uint32_t end, int threads, std::optional<RoutesArray> out_buffer) {
    if (k == 0) throw py::value_error("k must be at least 1");
    if (begin > end || end > source.sources()) throw py::value_error("row range outside [0, M]");
    RoutesArray routes = routes_buffer(std::move(out_buffer), end - begin, k);
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        select_random(source, seed, k, begin, end, threads, out);
    }
    return routes;
}

RoutesArray select_greedy_py(const CandidateSource& source, std::uint32_t k, std::uint64_t seed, std::uint32_t block,
                             int threads, std::optional<RoutesArray> out_buffer) {
    if (k == 0 || block == 0) throw py::value_error("k and block must be at least 1");
    RoutesArray routes = routes_buffer(std::move(out_buffer), source.sources(), k);
    GreedyOptions options;
    options.k = k;
    options.seed = seed;
    options.block = block;
    options.threads = threads;
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        select_greedy(source, options, out);
    }
    return routes;
}

// (routes, numerator, denominator, candidate pairs, max-flow runs); ValueError past max_pairs.
py::tuple select_optimal_py(const CandidateSource& source, std::uint32_t k, bool relative, std::uint64_t max_pairs,
                            int threads, std::optional<RoutesArray> out_buffer) {
    if (k == 0) throw py::value_error("k must be at least 1");
    RoutesArray routes = routes_buffer(std::move(out_buffer), source.sources(), k);
    OptimalOptions options;
    options.k = k;
    options.relative = relative;
    options.max_candidate_pairs = max_pairs;
    options.threads = threads;
    std::int32_t* out = routes.mutable_data();
    OptimalResult result;
    std::string too_large;
    {
        KernelCall call;
        try {
            result = select_optimal(source, options, out);
        } catch (const std::length_error& error) {
            too_large = error.what();
        }
    }
    if (!too_large.empty()) throw py::value_error(too_large);
    return py::make_tuple(routes, result.numerator, result.denominator, result.candidate_pairs, result.max_flows);
}

std::unique_ptr<MaskCandidates> make_mask(const py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>& offsets,
                                          const U32Array& targets, std::uint32_t E, const U32Array& t) {
    if (offsets.ndim() != 1 || offsets.shape(0) < 2 || targets.ndim() != 1 || t.ndim() != 1 ||
        t.shape(0) != static_cast<py::ssize_t>(E))
        throw py::value_error("offsets (M + 1), targets and t (E) must be 1-D");
    const auto M = static_cast<std::uint32_t>(offsets.shape(0) - 1);
    if (static_cast<std::uint64_t>(targets.shape(0)) != offsets.data()[M])
        throw py::value_error("targets must have offsets[M] entries");
    const std::uint64_t* o = offsets.data();
    const std::uint32_t* ids = targets.data();
    const std::uint32_t* w = t.data();
    KernelCall call;
    return std::make_unique<MaskCandidates>(o, M, ids, E, w);
}

// Convenience for tests and the router table: prepare a Router from degrees, then select_greedy.
RoutesArray route_degrees_greedy_py(const U32Array& s, const U32Array& t, std::uint32_t k, std::uint64_t seed,
                                    bool row_perm, std::uint32_t block, int threads) {
    if (block == 0) throw py::value_error("block must be at least 1");
    const auto router = make_router(s, t, k, seed, row_perm, 0, 0);
    return select_greedy_py(*router, k, seed, block, threads, std::nullopt);
}

}  // namespace

// ---- issue #14: row degrees of unpacked matrices (any dtype/strides) and of P1 text; gen's bits ----
namespace {

// (degrees, all 0/1) of a 2-D array read in place through its strides; kind: ElementKind.
py::tuple dense_row_degrees_py(const py::array& matrix, int kind, int threads) {
    if (matrix.ndim() != 2) throw py::value_error("matrix must be 2-D");
    if (kind < 0 || kind > 2) throw py::value_error("kind must be 0 (bool), 1 (integer) or 2 (float)");
    const DenseMatrix dense{static_cast<const std::uint8_t*>(matrix.data()),
                            static_cast<std::uint64_t>(matrix.shape(0)), static_cast<std::uint64_t>(matrix.shape(1)),
                            static_cast<std::int64_t>(matrix.strides(0)), static_cast<std::int64_t>(matrix.strides(1)),
                            static_cast<unsigned>(matrix.itemsize()), static_cast<ElementKind>(kind)};
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(dense.rows));
    std::uint32_t* out_ptr = out.mutable_data();
    bool binary;
    {
        KernelCall call;
        binary = dense_row_degrees(dense, out_ptr, threads);
    }
    return py::make_tuple(out, binary);
}

// Feeds one chunk of a P1 raster; `state` holds P1Scan's (digits, column, ones) between chunks.
std::int64_t p1_row_degrees_chunk_py(const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& chunk,
                                     std::uint64_t width, py::array_t<std::uint32_t, py::array::c_style>& out,
                                     py::array_t<std::uint64_t, py::array::c_style>& state) {
    if (width == 0 || state.size() != 3 || out.ndim() != 1) throw py::value_error("bad P1 scan arguments");
    P1Scan scan{state.at(0), state.at(1), state.at(2)};
    const std::uint8_t* data = chunk.data();
    std::uint32_t* out_ptr = out.mutable_data();
    const auto n = static_cast<std::uint64_t>(chunk.size()), height = static_cast<std::uint64_t>(out.size());
    std::int64_t bad;
    {
        KernelCall call;
        bad = p1_row_degrees_chunk(data, n, width, height, out_ptr, scan);
    }
    state.mutable_at(0) = scan.digits;
    state.mutable_at(1) = scan.column;
    state.mutable_at(2) = scan.ones;
    return bad;
}

// `count` keyed Bernoulli bits from index `first` as a bool array (inputs/draws.bernoulli_rows).
py::array_t<bool> bernoulli_bits_py(std::uint64_t key, std::uint64_t first, std::uint64_t count,
                                    std::uint64_t threshold, int threads) {
    py::array_t<bool> out(static_cast<py::ssize_t>(count));
    auto* data = reinterpret_cast<std::uint8_t*>(out.mutable_data());
    {
        KernelCall call;
        bernoulli_bits(key, first, count, threshold, data, threads);
    }
    return out;
}

void bind_matrix_degrees(py::module_& m) {
    m.def("bernoulli_bits", &bernoulli_bits_py, py::arg("key"), py::arg("first"), py::arg("count"),
          py::arg("threshold"), py::arg("threads") = 0);
    m.def("dense_row_degrees", &dense_row_degrees_py, py::arg("matrix"), py::arg("kind"), py::arg("threads") = 0);
    m.def("p1_row_degrees_chunk", &p1_row_degrees_chunk_py, py::arg("chunk"), py::arg("width"), py::arg("out"),
          py::arg("state"));
}

}  // namespace

// ---- the balanced selection policy (docs/SPEC.md, "Balanced selection") ----
namespace {

// All M rows of a prepared Router under select="balanced"; returns (routes, what the run did).
py::tuple select_balanced_py(const CandidateSource& source, std::uint32_t k, std::uint64_t seed, std::uint32_t rounds,
                             int threads, std::optional<RoutesArray> out_buffer) {
    if (k == 0) throw py::value_error("k must be at least 1");
    RoutesArray routes = routes_buffer(std::move(out_buffer), source.sources(), k);
    BalancedOptions options;
    options.k = k;
    options.seed = seed;
    options.rounds = rounds;
    options.threads = threads;
    BalancedReport report;
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        select_balanced(source, options, out, &report);
    }
    py::dict info;
    info["lower_bound"] = report.lower_bound;
    info["goal"] = report.goal;
    info["rounds_run"] = report.rounds_run;
    info["moves"] = report.moves;
    info["augmentations"] = report.augmentations;
    info["proven_optimal"] = report.proven_optimal;
    info["max_load"] = report.max_load;
    return py::make_tuple(routes, info);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "phase-router C++ core (private; use the phase_router package)";
    py::register_exception_translator(&translate_cancelled);
    signal_state().main_thread =
        py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>();
    m.def("set_cancel_signals", &set_cancel_signals, py::arg("signums"));
    m.def("cancel_signals", &cancel_signals);
    // Test hook: set the cancel flag as a signal would (without a signal): a kernel running in
    // another thread stops and raises KeyboardInterrupt.
    m.def("request_cancel", &request_cancel);
    m.def("clear_cancel", &clear_cancel);
    m.def("cancel_requested", &cancel_requested);
    m.def("route_degrees", &route_degrees_py, py::arg("s"), py::arg("t"), py::arg("k"), py::arg("seed"),
          py::arg("row_perm") = false, py::arg("threads") = 0, py::arg("out") = py::none(),
          py::arg("strategy") = 0);
    py::class_<CandidateSource>(m, "CandidateSource")
        .def_property_readonly("M", &CandidateSource::sources)
        .def_property_readonly("E", &CandidateSource::targets);
    py::class_<MaskCandidates, CandidateSource>(m, "MaskCandidates")
        .def(py::init(&make_mask), py::arg("offsets"), py::arg("targets"), py::arg("E"), py::arg("t"));
    m.def("select_random", &select_random_py, py::arg("source"), py::arg("seed"), py::arg("k"), py::arg("begin"),
          py::arg("end"), py::arg("threads") = 0, py::arg("out") = py::none());
    py::class_<Router, CandidateSource>(m, "Router")
        .def(py::init(&make_router), py::arg("s"), py::arg("t"), py::arg("k"), py::arg("seed"),
             py::arg("row_perm") = false, py::arg("strategy") = 0, py::arg("checkpoint_budget") = 0)
        .def("route_rows", &route_rows_py, py::arg("begin"), py::arg("end"), py::arg("threads") = 0,
             py::arg("out") = py::none())
        .def_property_readonly("M", &Router::M)
        .def_property_readonly("E", &Router::E)
        .def_property_readonly("k", &Router::k)
        .def_property_readonly("sparse_rows", &Router::sparse_rows)
        .def_property_readonly("memory_bytes", &Router::memory_bytes)
        .def_property_readonly("checkpoint_stride", &Router::checkpoint_stride);
    m.def("packed_row_degrees", &packed_row_degrees_py, py::arg("packed"), py::arg("width"),
          py::arg("threads") = 0);
    m.def("route_summary", &route_summary_py, py::arg("routes"), py::arg("E"), py::arg("threads") = 0);
    m.def("keyed_permutation", &keyed_permutation_py, py::arg("key"), py::arg("n"));
    m.def("sample_ranks", &sample_ranks_py, py::arg("row_key"), py::arg("n"), py::arg("count"));
    m.def("bounded_draws", &bounded_draws_py, py::arg("row_key"), py::arg("bounds"));
    m.def("mix64", &mix64, py::arg("z"));
    m.def("splitmix", &splitmix, py::arg("key"), py::arg("n"));
    m.def("domain_key", [](std::uint64_t seed, std::uint64_t d) { return domain_key(seed, static_cast<Domain>(d)); },
          py::arg("seed"), py::arg("domain"));
    m.attr("has_openmp") = built_with_openmp();
    // issue #12: the selection kernels' CPU path, chosen now (PHASE_ROUTER_CPU may lower it)
    m.attr("cpu_path") = cpu_path_name(active_cpu_path());
    m.attr("cpu_path_best") = cpu_path_name(best_cpu_path());
    m.attr("cpu_path_requested") = requested_cpu_path();
    // baselines and the greedy selection policy
    m.def("hash_route", &hash_route_py, py::arg("counts"), py::arg("weights"), py::arg("E"), py::arg("k"),
          py::arg("seed"), py::arg("weighted") = false, py::arg("threads") = 0);
    m.def("two_choice_route", &two_choice_route_py, py::arg("counts"), py::arg("weights"), py::arg("k"),
          py::arg("seed"));
    m.def("select_greedy", &select_greedy_py, py::arg("source"), py::arg("k"), py::arg("seed"), py::arg("block"),
          py::arg("threads") = 0, py::arg("out") = py::none());
    m.def("select_optimal", &select_optimal_py, py::arg("source"), py::arg("k"), py::arg("relative") = false,
          py::arg("max_pairs") = 1ULL << 28, py::arg("threads") = 0, py::arg("out") = py::none());
    m.def("route_degrees_greedy", &route_degrees_greedy_py, py::arg("s"), py::arg("t"), py::arg("k"),
          py::arg("seed"), py::arg("row_perm") = false, py::arg("block") = 16, py::arg("threads") = 0);
    // the balanced selection policy
    m.def("select_balanced", &select_balanced_py, py::arg("source"), py::arg("k"), py::arg("seed"),
          py::arg("rounds") = 8, py::arg("threads") = 0, py::arg("out") = py::none());
    bind_matrix_degrees(m);  // issue #14
}

// Cancellation: the signals that stop a running kernel (docs/RELIABILITY.md).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <signal.h>

#include <exception>
#include <mutex>
#include <vector>

#include "bindings/kernel_call.hpp"
#include "common/cancellation.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

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

// A call from the main thread clears a flag left by an earlier signal (Python has run its handler
// by now); the first active call installs on_signal for every enabled signal.
SignalScope::SignalScope() {
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

SignalScope::~SignalScope() {
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

void bind_cancellation(py::module_& m) {
    py::register_exception_translator(&translate_cancelled);
    signal_state().main_thread =
        py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>();
    m.def("set_cancel_signals", &set_cancel_signals, py::arg("signums"),
          "Which signals stop a running kernel: any of SIGINT, SIGTERM, SIGHUP (default: SIGINT only).");
    m.def("cancel_signals", &cancel_signals, "The signals that stop a running kernel now.");
    m.def("request_cancel", &request_cancel,
          "Set the cancel flag as a signal would (a test hook): a kernel running in another thread stops and "
          "raises KeyboardInterrupt; the main thread's next kernel call clears the flag.");
    m.def("clear_cancel", &clear_cancel, "Clear the cancel flag.");
    m.def("cancel_requested", &cancel_requested, "Whether the cancel flag is set.");
}

}  // namespace phase_router::bindings

// What every binding holds while its kernel runs (bindings/cancellation.cpp): the cancel-signal
// handlers installed, then the GIL released. Construct it after reading every Python object the
// kernel needs and destroy it before building Python results.
#pragma once
#include <pybind11/pybind11.h>

#include <optional>

namespace phase_router::bindings {

// Installs the cancel-signal handler around kernel calls (reference-counted: kernels may run in
// several threads at once); the last call to end restores the previous handlers.
class SignalScope {
public:
    SignalScope();
    ~SignalScope();
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;
};

// A signal that arrived before the call (Python has not run its handler yet) is acted on first,
// instead of after a kernel that may run for minutes.
class KernelCall {
public:
    KernelCall() {
        if (PyErr_CheckSignals() != 0) throw pybind11::error_already_set();
        release_.emplace();
    }

private:
    SignalScope signals_;
    std::optional<pybind11::gil_scoped_release> release_;
};

}  // namespace phase_router::bindings

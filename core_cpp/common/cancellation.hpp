// Cancellation: one process-wide flag that a signal handler (installed by the Python binding
// around each kernel call) sets, and that every long kernel loop polls. A kernel that sees it
// throws Cancelled; inside run_parallel each worker stops its own part and the first exception
// is rethrown on the calling thread. Polling only reads the flag, so a run that is not cancelled
// computes exactly the same bits as before. No Python types here.
#pragma once
#include <atomic>
#include <cstdint>
#include <exception>

namespace phase_router {

// Written from a signal handler: must be lock-free (async-signal-safe).
static_assert(std::atomic<bool>::is_always_lock_free, "the cancel flag must be lock-free");

// The flag itself (one per process: a C++17 inline variable).
inline std::atomic<bool> cancel_flag{false};

inline void request_cancel() noexcept { cancel_flag.store(true, std::memory_order_relaxed); }
inline void clear_cancel() noexcept { cancel_flag.store(false, std::memory_order_relaxed); }
inline bool cancel_requested() noexcept { return cancel_flag.load(std::memory_order_relaxed); }

// What a kernel throws when it stops early. Not a std::runtime_error or logic_error, so no
// handler meant for a real failure catches it by accident.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

inline void throw_if_cancelled() {
    if (cancel_requested()) throw Cancelled();
}

// For loops whose iterations are cheap: polls once every 4096 iterations (a relaxed load and a
// branch, unmeasurable next to 4096 iterations of work). Loops whose every iteration is heavy
// (a row of E/64 words, a row's candidate list) call throw_if_cancelled() each time instead.
inline void poll_cancel(std::uint64_t iteration) {
    if ((iteration & 4095u) == 0) throw_if_cancelled();
}

}  // namespace phase_router

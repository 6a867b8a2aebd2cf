// One place for the OpenMP split used by every kernel: `parts` workers, each given its index,
// exceptions carried out of the parallel region and rethrown on the calling thread. Without
// OpenMP the same body runs once as part 0 of 1, so results cannot depend on it.
#pragma once
#include <cstdint>
#include <exception>

#ifdef PHASE_ROUTER_OPENMP
#include <omp.h>
#endif

namespace phase_router {

inline int thread_count(int requested) {
#ifdef PHASE_ROUTER_OPENMP
    return requested > 0 ? requested : omp_get_max_threads();
#else
    (void)requested;
    return 1;
#endif
}

// Workers for a batch of `rows` rows of about `per_row` candidates each: one when the batch is
// small (under 2^18 candidate words' worth), since a woken thread that is descheduled holds up
// the whole batch; `threads` otherwise.
inline int threads_for_batch(std::uint64_t rows, std::uint64_t per_row, int threads) {
    return rows * per_row >= (std::uint64_t{1} << 18) ? threads : 1;
}

// Runs body(part, parts); rethrows the first exception any worker raised.
template <class Body>
void run_parallel(int parts, Body body) {
    std::exception_ptr failure;
#ifdef PHASE_ROUTER_OPENMP
#pragma omp parallel num_threads(parts)
    {
        const int part = omp_get_thread_num();
        const int actual = omp_get_num_threads();
        try {
            body(part, actual);
        } catch (...) {
#pragma omp critical(phase_router_failure)
            if (!failure) failure = std::current_exception();
        }
    }
#else
    (void)parts;
    try {
        body(0, 1);
    } catch (...) {
        failure = std::current_exception();
    }
#endif
    if (failure) std::rethrow_exception(failure);
}

// First index of part `part` when n items are split into `parts` contiguous parts.
inline std::uint64_t part_begin(std::uint64_t n, int part, int parts) {
    return n * static_cast<std::uint64_t>(part) / static_cast<std::uint64_t>(parts);
}

}  // namespace phase_router

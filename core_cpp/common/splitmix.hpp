// Portable randomness (docs/SPEC.md §"Randomness"): SplitMix64 outputs and Lemire's bounded
// integers on 32-bit draws. Only uint64 multiply/xor/shift with wrap-around, so NumPy and any
// C++17 compiler produce the same bits; no <random> distributions anywhere in the core.
#pragma once
#include <cstdint>

namespace phase_router {

inline constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// SplitMix64 finaliser: a bijection on uint64.
inline std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// The n-th output (n = 0, 1, ...) of SplitMix64 started from state `key`.
inline std::uint64_t splitmix(std::uint64_t key, std::uint64_t n) {
    return mix64(key + (n + 1) * kGolden);
}

// Sub-keys drawn from the user's seed, one per use (SPEC: "domain keys"), numbered by the one
// table both languages read.
enum class Domain : std::uint64_t {
#define PHASE_ROUTER_SEED_DOMAIN(enumerator, name, number, use) enumerator = number,
#include "common/seed_domains.def"
#undef PHASE_ROUTER_SEED_DOMAIN
};

inline std::uint64_t domain_key(std::uint64_t seed, Domain d) {
    return splitmix(seed, static_cast<std::uint64_t>(d));
}

// Lemire's multiply-and-reject for a uniform integer in [0, bound), 1 <= bound <= 2^32 - 1:
// with m = draw * bound, the result is m >> 32 unless the low half of m falls below
// (2^32 - bound) mod bound, in which case the draw is rejected and the next one is tried.
// The modulo runs only when the cheap test `low < bound` fails (probability bound / 2^32).
inline bool lemire_accept(std::uint32_t draw, std::uint32_t bound, std::uint32_t* value) {
    const std::uint64_t m = static_cast<std::uint64_t>(draw) * bound;
    const std::uint32_t low = static_cast<std::uint32_t>(m);
    if (low < bound && low < static_cast<std::uint32_t>(0u - bound) % bound) return false;
    *value = static_cast<std::uint32_t>(m >> 32);
    return true;
}

// A stream of 32-bit draws for one source row: draw 2m is the high half of splitmix(row_key, m),
// draw 2m+1 its low half, so one mixing step serves two draws. (The selection kernel inlines
// the same order; this class states it once and serves the tests.)
class DrawStream {
public:
    explicit DrawStream(std::uint64_t row_key) : key_(row_key) {}

    std::uint32_t next() {
        if (have_low_) {
            have_low_ = false;
            return static_cast<std::uint32_t>(word_);
        }
        word_ = splitmix(key_, counter_++);
        have_low_ = true;
        return static_cast<std::uint32_t>(word_ >> 32);
    }

    std::uint32_t bounded(std::uint32_t bound) {
        std::uint32_t value;
        while (!lemire_accept(next(), bound, &value)) {
        }
        return value;
    }

private:
    std::uint64_t key_;
    std::uint64_t counter_ = 0;
    std::uint64_t word_ = 0;
    bool have_low_ = false;
};

}  // namespace phase_router

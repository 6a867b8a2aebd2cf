// Standalone check program: routes degrees made from a seed and prints a digest of the output,
// so builds with and without OpenMP (and any thread count) can be compared with the Python
// package without Python in the loop. Usage: route_digest M E K SEED ROW_PERM THREADS
// Degrees: s_i = splitmix(seed ^ 0x5EED5, i) mod (E + 1), t_j = splitmix(seed ^ 0x7A76E7, j) mod (M + 1).
// Digest: FNV-1a 64 over the little-endian bytes of the int32 routes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

#include "selection/route_degrees.hpp"
#include "common/splitmix.hpp"

int main(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: route_digest M E K SEED ROW_PERM THREADS\n");
        return 2;
    }
    using phase_router::splitmix;
    const auto M = static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10));
    const auto E = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
    phase_router::RouteOptions options;
    options.k = static_cast<std::uint32_t>(std::strtoul(argv[3], nullptr, 10));
    options.seed = std::strtoull(argv[4], nullptr, 10);
    options.row_perm = std::atoi(argv[5]) != 0;
    options.threads = std::atoi(argv[6]);

    std::vector<std::uint32_t> s(M), t(E);
    for (std::uint32_t i = 0; i < M; ++i) s[i] = static_cast<std::uint32_t>(splitmix(options.seed ^ 0x5EED5, i) % (E + 1ULL));
    for (std::uint32_t j = 0; j < E; ++j) t[j] = static_cast<std::uint32_t>(splitmix(options.seed ^ 0x7A76E7, j) % (M + 1ULL));
    std::vector<std::int32_t> routes(static_cast<std::size_t>(M) * options.k);
    try {
        phase_router::route_degrees(s.data(), M, t.data(), E, options, routes.data());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "route_digest: %s\n", e.what());
        return 1;
    }
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const std::int32_t v : routes) {
        const auto u = static_cast<std::uint32_t>(v);
        for (int b = 0; b < 4; ++b) {
            h ^= (u >> (8 * b)) & 0xFFu;
            h *= 0x100000001B3ULL;
        }
    }
    std::printf("%016llx\n", static_cast<unsigned long long>(h));
    return 0;
}

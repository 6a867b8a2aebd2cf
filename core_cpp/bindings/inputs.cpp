// The seeded randomness every stage shares (docs/SPEC.md, "Randomness"), exposed so the NumPy
// reference and the input generators are tested against the same bits: SplitMix64, the seed
// domains table, keyed permutations, Floyd's rank samples, bounded draws and Bernoulli bits.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "bindings/kernel_call.hpp"
#include "common/permutation.hpp"
#include "common/splitmix.hpp"
#include "inputs/bernoulli_bits.hpp"
#include "selection/random.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

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

py::dict seed_domains() {
    py::dict table;
#define PHASE_ROUTER_SEED_DOMAIN(enumerator, name, number, use) \
    table[name] = static_cast<std::uint64_t>(Domain::enumerator);
#include "common/seed_domains.def"
#undef PHASE_ROUTER_SEED_DOMAIN
    return table;
}

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

}  // namespace

void bind_inputs(py::module_& m) {
    m.def("mix64", &mix64, py::arg("z"), "The SplitMix64 finaliser, a bijection on uint64.");
    m.def("splitmix", &splitmix, py::arg("key"), py::arg("n"), "Output n (0, 1, ...) of SplitMix64 started from key.");
    m.def("seed_domains", &seed_domains,
          "{name: number} of every seed domain (core_cpp/common/seed_domains.def): K_d = splitmix(seed, d).");
    m.def("domain_key", [](std::uint64_t seed, std::uint64_t d) { return domain_key(seed, static_cast<Domain>(d)); },
          py::arg("seed"), py::arg("domain"), "The key of one seed domain: splitmix(seed, domain).");
    m.def("keyed_permutation", &keyed_permutation_py, py::arg("key"), py::arg("n"),
          "The keyed permutation of [0, n) the ring uses (uint32[n]).");
    m.def("sample_ranks", &sample_ranks_py, py::arg("row_key"), py::arg("n"), py::arg("count"),
          "The count ranks of [0, n) Floyd's algorithm keeps for one row's stream, ascending.");
    m.def("bounded_draws", &bounded_draws_py, py::arg("row_key"), py::arg("bounds"),
          "Successive bounded draws (Lemire) of one row's 32-bit stream, one per entry of bounds.");
    m.def("bernoulli_bits", &bernoulli_bits_py, py::arg("key"), py::arg("first"), py::arg("count"),
          py::arg("threshold"), py::arg("threads") = 0,
          "count keyed Bernoulli bits from index first, as bool: bit x is splitmix(key, first + x) >> 11 < threshold.");
}

}  // namespace phase_router::bindings

// The baseline routers (docs/BASELINES.md): hash routing (uniform or weighted by t_j) and the
// power of two choices, on per-row route counts.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>

#include "baselines/hash.hpp"
#include "baselines/two_choice.hpp"
#include "bindings/arrays.hpp"
#include "bindings/kernel_call.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

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

}  // namespace

void bind_baselines(py::module_& m) {
    m.def("hash_route", &hash_route_py, py::arg("counts"), py::arg("weights"), py::arg("E"), py::arg("k"),
          py::arg("seed"), py::arg("weighted") = false, py::arg("threads") = 0,
          "Hash routing: row i gets counts[i] distinct targets of E, uniform or (weighted) in proportion to "
          "weights; M x k int32 routes, -1 padded.");
    m.def("two_choice_route", &two_choice_route_py, py::arg("counts"), py::arg("weights"), py::arg("k"),
          py::arg("seed"),
          "Power of two choices: each route goes to the less loaded (relative to weights) of two drawn targets; "
          "M x k int32 routes, -1 padded.");
}

}  // namespace phase_router::bindings

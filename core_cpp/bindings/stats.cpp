// Statistics of a routes array, computed in C++ so a large routing is read once.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>

#include "bindings/kernel_call.hpp"
#include "stats/route_summary.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

py::tuple route_summary_py(const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& routes,
                           std::uint32_t E, int threads) {
    if (routes.ndim() != 2) throw py::value_error("routes must be 2-D");
    const auto M = static_cast<std::uint64_t>(routes.shape(0));
    const auto k = static_cast<std::uint32_t>(routes.shape(1));
    const std::int32_t* data = routes.data();
    RouteTotals summary;
    {
        KernelCall call;
        summary = summarize_routes(data, M, k, E, threads);
    }
    py::array_t<std::int64_t> loads(static_cast<py::ssize_t>(E));
    std::copy(summary.loads.begin(), summary.loads.end(), loads.mutable_data());
    return py::make_tuple(summary.active, summary.underfilled, loads);
}

}  // namespace

void bind_stats(py::module_& m) {
    m.def("route_summary", &route_summary_py, py::arg("routes"), py::arg("E"), py::arg("threads") = 0,
          "(active routes, rows with fewer than k routes, column loads as int64[E]) of an M x k routes array.");
}

}  // namespace phase_router::bindings

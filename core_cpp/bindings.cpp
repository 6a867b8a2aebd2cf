// The one pybind11 file: thin wrappers that take NumPy buffers, release the GIL and call the
// core. Validation and friendly messages live in Python (phase_router/_validate.py).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "permutation.hpp"
#include "route.hpp"
#include "row_degrees.hpp"
#include "route_summary.hpp"
#include "select_routes.hpp"
#include "splitmix.hpp"

namespace py = pybind11;
using namespace phase_router;

namespace {

using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

using RoutesArray = py::array_t<std::int32_t, py::array::c_style>;

// `out`, when given, is an M x k int32 C-contiguous array that is overwritten and returned:
// routing again into the same buffer skips the first-touch page faults of a fresh one.
RoutesArray route_degrees_py(const U32Array& s, const U32Array& t, std::uint32_t k, std::uint64_t seed,
                             bool row_perm, int threads, std::optional<RoutesArray> out_buffer) {
    if (s.ndim() != 1 || t.ndim() != 1) throw py::value_error("degrees must be 1-D");
    const auto M = static_cast<std::uint32_t>(s.shape(0));
    const auto E = static_cast<std::uint32_t>(t.shape(0));
    RoutesArray routes = out_buffer ? *out_buffer
                                    : RoutesArray({static_cast<py::ssize_t>(M), static_cast<py::ssize_t>(k)});
    if (routes.ndim() != 2 || routes.shape(0) != static_cast<py::ssize_t>(M) ||
        routes.shape(1) != static_cast<py::ssize_t>(k))
        throw py::value_error("out must have shape (M, k)");
    RouteOptions options;
    options.k = k;
    options.seed = seed;
    options.row_perm = row_perm;
    options.threads = threads;
    const std::uint32_t* s_ptr = s.data();
    const std::uint32_t* t_ptr = t.data();
    std::int32_t* out = routes.mutable_data();
    {
        py::gil_scoped_release release;
        route_degrees(s_ptr, M, t_ptr, E, options, out);
    }
    return routes;
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
        py::gil_scoped_release release;
        packed_row_degrees(data, rows, row_bytes, width, out_ptr, threads);
    }
    return out;
}

py::array_t<std::uint32_t> keyed_permutation_py(std::uint64_t key, std::uint32_t n) {
    std::vector<std::uint32_t> perm;
    {
        py::gil_scoped_release release;
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
        py::gil_scoped_release release;
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

PYBIND11_MODULE(_core, m) {
    m.doc() = "phase-router C++ core (private; use the phase_router package)";
    m.def("route_degrees", &route_degrees_py, py::arg("s"), py::arg("t"), py::arg("k"), py::arg("seed"),
          py::arg("row_perm") = false, py::arg("threads") = 0, py::arg("out") = py::none());
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
}

// The NumPy array types the bindings exchange, and the routes buffer every routing binding fills.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>

namespace phase_router::bindings {

namespace py = pybind11;

using U32Array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;
using RoutesArray = py::array_t<std::int32_t, py::array::c_style>;

// `out` when given (a rows x k int32 C-contiguous array, overwritten: routing again into the same
// buffer skips the first-touch page faults of a fresh one), else a new rows x k array.
inline RoutesArray routes_buffer(std::optional<RoutesArray> out, std::uint32_t rows, std::uint32_t k) {
    RoutesArray routes = out ? *out : RoutesArray({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(k)});
    if (routes.ndim() != 2 || routes.shape(0) != static_cast<py::ssize_t>(rows) ||
        routes.shape(1) != static_cast<py::ssize_t>(k))
        throw py::value_error("out must have shape (rows, k)");
    return routes;
}

}  // namespace phase_router::bindings

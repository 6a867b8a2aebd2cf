// Row degrees (ones per row) of packed bit rows, of unpacked arrays of any dtype and strides, and
// of P1 text fed in chunks: what the router needs from a matrix.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>

#include "bindings/kernel_call.hpp"
#include "degrees/dense_row_degrees.hpp"
#include "degrees/p1_row_degrees.hpp"
#include "degrees/row_degrees.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

using Bytes = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

py::array_t<std::uint32_t> packed_row_degrees_py(const Bytes& packed, std::uint64_t width, int threads) {
    if (packed.ndim() != 2) throw py::value_error("packed rows must be 2-D");
    const auto rows = static_cast<std::uint64_t>(packed.shape(0));
    const auto row_bytes = static_cast<std::uint64_t>(packed.shape(1));
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(rows));
    const std::uint8_t* data = packed.data();
    std::uint32_t* out_ptr = out.mutable_data();
    {
        KernelCall call;
        packed_row_degrees(data, rows, row_bytes, width, out_ptr, threads);
    }
    return out;
}

py::tuple dense_row_degrees_py(const py::array& matrix, int kind, int threads) {
    if (matrix.ndim() != 2) throw py::value_error("matrix must be 2-D");
    if (kind < 0 || kind > 2) throw py::value_error("kind must be 0 (bool), 1 (integer) or 2 (float)");
    const DenseMatrix dense{static_cast<const std::uint8_t*>(matrix.data()),
                            static_cast<std::uint64_t>(matrix.shape(0)), static_cast<std::uint64_t>(matrix.shape(1)),
                            static_cast<std::int64_t>(matrix.strides(0)), static_cast<std::int64_t>(matrix.strides(1)),
                            static_cast<unsigned>(matrix.itemsize()), static_cast<ElementKind>(kind)};
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(dense.rows));
    std::uint32_t* out_ptr = out.mutable_data();
    bool binary;
    {
        KernelCall call;
        binary = dense_row_degrees(dense, out_ptr, threads);
    }
    return py::make_tuple(out, binary);
}

std::int64_t p1_row_degrees_chunk_py(const Bytes& chunk, std::uint64_t width,
                                     py::array_t<std::uint32_t, py::array::c_style>& out,
                                     py::array_t<std::uint64_t, py::array::c_style>& state) {
    if (width == 0 || state.size() != 3 || out.ndim() != 1) throw py::value_error("bad P1 scan arguments");
    P1Scan scan{state.at(0), state.at(1), state.at(2)};
    const std::uint8_t* data = chunk.data();
    std::uint32_t* out_ptr = out.mutable_data();
    const auto n = static_cast<std::uint64_t>(chunk.size()), height = static_cast<std::uint64_t>(out.size());
    std::int64_t bad;
    {
        KernelCall call;
        bad = p1_row_degrees_chunk(data, n, width, height, out_ptr, scan);
    }
    state.mutable_at(0) = scan.digits;
    state.mutable_at(1) = scan.column;
    state.mutable_at(2) = scan.ones;
    return bad;
}

}  // namespace

void bind_degrees(py::module_& m) {
    m.def("packed_row_degrees", &packed_row_degrees_py, py::arg("packed"), py::arg("width"), py::arg("threads") = 0,
          "Ones per row of packed bit rows (rows x ceil(width / 8) uint8, most significant bit first), as uint32.");
    m.def("dense_row_degrees", &dense_row_degrees_py, py::arg("matrix"), py::arg("kind"), py::arg("threads") = 0,
          "(degrees, all 0/1) of a 2-D array read in place through its strides; kind 0 bool, 1 integer, 2 float.");
    m.def("p1_row_degrees_chunk", &p1_row_degrees_chunk_py, py::arg("chunk"), py::arg("width"), py::arg("out"),
          py::arg("state"),
          "Feed one chunk of a P1 raster: adds each row's ones to out; state (3 uint64: digits, column, ones) "
          "carries the scan between chunks. Returns the offset of the first bad byte, or -1.");
}

}  // namespace phase_router::bindings

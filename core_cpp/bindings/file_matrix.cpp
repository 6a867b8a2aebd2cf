// A dense 0/1 matrix read from an open file with positional reads (io/npy.py's data section): its
// row degrees, or the matrix as bool. The file is never memory-mapped, so a file that shrinks
// while it is read is a status the caller turns into a message, never SIGBUS.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstddef>

#include "bindings/kernel_call.hpp"
#include "common/cancellation.hpp"
#include "degrees/streamed_dense.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

// Bytes of the matrix's data, which starts at byte `base` of the file open as `fd`.
class FileSource final : public ByteSource {
public:
    FileSource(int fd, std::uint64_t base) : fd_(fd), base_(base) {}

    int read(std::uint8_t* into, std::uint64_t bytes, std::uint64_t offset) const override {
        constexpr std::uint64_t kMaxRead = std::uint64_t{1} << 30;  // below every platform's per-call limit
        std::uint64_t done = 0;
        while (done < bytes) {
            const auto want = static_cast<std::size_t>(std::min(bytes - done, kMaxRead));
            const ssize_t got = ::pread(fd_, into + done, want, static_cast<off_t>(base_ + offset + done));
            if (got > 0) {
                done += static_cast<std::uint64_t>(got);
            } else if (got == 0) {
                return kEnded;
            } else if (errno == EINTR) {
                throw_if_cancelled();  // a cancelling signal interrupted the read
            } else {
                return errno;
            }
        }
        return 0;
    }

private:
    int fd_;
    std::uint64_t base_;
};

// rows * cols * item_size bytes must be addressable (the shapes come from a file's header).
bool too_large(std::uint64_t rows, std::uint64_t cols, unsigned item_size) {
    const auto limit = static_cast<std::uint64_t>(PTRDIFF_MAX);
    if (rows == 0 || cols == 0) return false;
    return cols > limit / rows || rows * cols > limit / std::max(item_size, 1u);
}

StreamedMatrix streamed(std::uint64_t rows, std::uint64_t cols, unsigned item_size, int kind) {
    if (kind < 0 || kind > 2) throw py::value_error("kind must be 0 (bool), 1 (integer) or 2 (float)");
    if (too_large(rows, cols, item_size)) throw py::value_error("the matrix is larger than memory can address");
    return {rows, cols, item_size, static_cast<ElementKind>(kind)};
}

py::tuple file_row_degrees_py(int fd, std::uint64_t offset, std::uint64_t rows, std::uint64_t cols, unsigned item_size,
                              int kind, std::uint64_t chunk_bytes, int threads) {
    const StreamedMatrix matrix = streamed(rows, cols, item_size, kind);
    py::array_t<std::uint32_t> out(static_cast<py::ssize_t>(rows));
    std::uint32_t* out_ptr = out.mutable_data();
    StreamResult result;
    {
        KernelCall call;
        result = streamed_row_degrees(FileSource(fd, offset), matrix, chunk_bytes, out_ptr, threads);
    }
    return py::make_tuple(out, static_cast<int>(result.status), result.error);
}

py::tuple file_bool_matrix_py(int fd, std::uint64_t offset, std::uint64_t rows, std::uint64_t cols, unsigned item_size,
                              int kind, std::uint64_t chunk_bytes, int threads) {
    const StreamedMatrix matrix = streamed(rows, cols, item_size, kind);
    py::array out(py::dtype::of<bool>(), {static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)});
    auto* out_ptr = static_cast<std::uint8_t*>(out.mutable_data());
    StreamResult result;
    {
        KernelCall call;
        result = streamed_bool_matrix(FileSource(fd, offset), matrix, chunk_bytes, out_ptr, threads);
    }
    return py::make_tuple(out, static_cast<int>(result.status), result.error);
}

}  // namespace

void bind_file_matrix(py::module_& m) {
    m.def("file_row_degrees", &file_row_degrees_py, py::arg("fd"), py::arg("offset"), py::arg("rows"), py::arg("cols"),
          py::arg("item_size"), py::arg("kind"), py::arg("chunk_bytes"), py::arg("threads") = 0,
          "(degrees, status, errno) of the C-order rows x cols matrix at byte `offset` of the open file `fd`, read "
          "in chunks of at most chunk_bytes by up to `threads` threads; status 0 ok, 1 a value is not 0/1, 2 the "
          "file ended early, 3 a read failed with errno. kind 0 bool, 1 integer, 2 float.");
    m.def("file_bool_matrix", &file_bool_matrix_py, py::arg("fd"), py::arg("offset"), py::arg("rows"), py::arg("cols"),
          py::arg("item_size"), py::arg("kind"), py::arg("chunk_bytes"), py::arg("threads") = 0,
          "(matrix as bool, status, errno) of the same; the statuses are file_row_degrees's.");
}

}  // namespace phase_router::bindings

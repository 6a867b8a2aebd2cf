// The hash candidate source (candidates/hash_candidates.hpp): each source's min(s_i, P) targets
// drawn in proportion to t_j, as the weighted hash router draws them.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>

#include "bindings/arrays.hpp"
#include "bindings/kernel_call.hpp"
#include "candidates/hash_candidates.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

std::unique_ptr<HashCandidates> make_hash_candidates(const U32Array& s, const U32Array& t, std::uint64_t seed) {
    if (s.ndim() != 1 || t.ndim() != 1) throw py::value_error("degrees must be 1-D");
    const std::uint32_t* s_ptr = s.data();
    const std::uint32_t* t_ptr = t.data();
    const auto M = static_cast<std::uint32_t>(s.shape(0));
    const auto E = static_cast<std::uint32_t>(t.shape(0));
    KernelCall call;
    return std::make_unique<HashCandidates>(s_ptr, M, t_ptr, E, seed);
}

}  // namespace

void bind_hash_candidates(py::module_& m) {
    py::class_<HashCandidates, CandidateSource>(
        m, "HashCandidates",
        "Hashed candidates from degrees s (M) and t (E): source i's candidates are min(s_i, P) distinct targets "
        "drawn in proportion to t_j (P: targets with t_j > 0) on the weighted hash router's stream for this seed.")
        .def(py::init(&make_hash_candidates), py::arg("s"), py::arg("t"), py::arg("seed"));
}

}  // namespace phase_router::bindings

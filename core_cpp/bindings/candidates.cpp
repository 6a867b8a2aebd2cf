// Candidate sources (step 6 as the selection policies read it): the phase Router prepared from
// degrees, and MaskCandidates from an explicit candidate mask; plus the spec's whole pipeline
// (phase candidates under the default random policy) as route_degrees / Router.route_rows.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "bindings/arrays.hpp"
#include "bindings/kernel_call.hpp"
#include "candidates/mask_candidates.hpp"
#include "ring/phase_window.hpp"
#include "ring/router.hpp"
#include "selection/route_degrees.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

std::unique_ptr<Router> make_router(const U32Array& s, const U32Array& t, std::uint32_t k, std::uint64_t seed,
                                    bool row_perm, int strategy, std::uint64_t checkpoint_budget) {
    if (s.ndim() != 1 || t.ndim() != 1) throw py::value_error("degrees must be 1-D");
    if (strategy < 0 || strategy > 2) throw py::value_error("strategy must be 0 (auto), 1 (dense) or 2 (sparse)");
    RouteOptions options;
    options.k = k;
    options.seed = seed;
    options.row_perm = row_perm;
    options.strategy = static_cast<Strategy>(strategy);
    if (checkpoint_budget != 0) options.checkpoint_budget_bytes = checkpoint_budget;
    const std::uint32_t* s_ptr = s.data();
    const std::uint32_t* t_ptr = t.data();
    const auto M = static_cast<std::uint32_t>(s.shape(0));
    const auto E = static_cast<std::uint32_t>(t.shape(0));
    KernelCall call;
    return std::make_unique<Router>(s_ptr, M, t_ptr, E, options);
}

RoutesArray route_rows_py(const Router& router, std::uint32_t begin, std::uint32_t end, int threads,
                          std::optional<RoutesArray> out_buffer) {
    if (begin > end || end > router.M()) throw py::value_error("row range outside [0, M]");
    RoutesArray routes = routes_buffer(std::move(out_buffer), end - begin, router.k());
    std::int32_t* out = routes.mutable_data();
    {
        KernelCall call;
        route_rows(router, begin, end, threads, out);
    }
    return routes;
}

RoutesArray route_degrees_py(const U32Array& s, const U32Array& t, std::uint32_t k, std::uint64_t seed,
                             bool row_perm, int threads, std::optional<RoutesArray> out_buffer, int strategy) {
    const auto router = make_router(s, t, k, seed, row_perm, strategy, 0);
    return route_rows_py(*router, 0, router->M(), threads, std::move(out_buffer));
}

using Offsets = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;
using WeightArray = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

std::unique_ptr<MaskCandidates> make_mask(const Offsets& offsets, const U32Array& targets, std::uint32_t E,
                                          const U32Array& t, const std::optional<WeightArray>& weights) {
    if (offsets.ndim() != 1 || offsets.shape(0) < 2 || targets.ndim() != 1 || t.ndim() != 1 ||
        t.shape(0) != static_cast<py::ssize_t>(E))
        throw py::value_error("offsets (M + 1), targets and t (E) must be 1-D");
    const auto M = static_cast<std::uint32_t>(offsets.shape(0) - 1);
    if (static_cast<std::uint64_t>(targets.shape(0)) != offsets.data()[M])
        throw py::value_error("targets must have offsets[M] entries");
    const std::uint64_t* o = offsets.data();
    const std::uint32_t* ids = targets.data();
    const std::uint32_t* w = t.data();
    const std::int64_t* preference = nullptr;
    if (weights) {
        if (weights->ndim() != 1 || weights->shape(0) != targets.shape(0))
            throw py::value_error("weights must be 1-D with one entry per target listed");
        preference = weights->data();
    }
    KernelCall call;
    return std::make_unique<MaskCandidates>(o, M, ids, E, w, preference);
}

std::unique_ptr<PhaseWindow> make_window(const U32Array& s, std::uint32_t first, std::uint32_t phase, std::uint32_t M,
                                         const U32Array& t, std::uint64_t seed) {
    if (s.ndim() != 1 || t.ndim() != 1) throw py::value_error("degrees must be 1-D");
    const std::uint32_t* s_ptr = s.data();
    const std::uint32_t* t_ptr = t.data();
    const auto count = static_cast<std::uint32_t>(s.shape(0));
    const auto E = static_cast<std::uint32_t>(t.shape(0));
    KernelCall call;
    return std::make_unique<PhaseWindow>(s_ptr, count, first, phase, M, t_ptr, E, seed);
}

}  // namespace

void bind_candidates(py::module_& m) {
    py::class_<CandidateSource>(m, "CandidateSource",
                                "The candidate sets of M source rows over E targets, as the selection policies read them.")
        .def_property_readonly("M", &CandidateSource::sources, "Number of source rows.")
        .def_property_readonly("E", &CandidateSource::targets, "Number of targets.");
    py::class_<MaskCandidates, CandidateSource>(m, "MaskCandidates",
                                                "Candidates given explicitly: row i's ascending target ids are "
                                                "targets[offsets[i]:offsets[i + 1]]; t holds the E target capacities; "
                                                "weights, when given, one int64 in [0, 2^30] per listed target "
                                                "(how much its row prefers it).")
        .def(py::init(&make_mask), py::arg("offsets"), py::arg("targets"), py::arg("E"), py::arg("t"),
             py::arg("weights") = py::none());
    py::class_<Router, CandidateSource>(m, "Router",
                                        "The phase construction prepared from degrees s (M) and t (E): the spec's "
                                        "candidate source (steps 1-6). strategy: 0 auto, 1 dense, 2 sparse.")
        .def(py::init(&make_router), py::arg("s"), py::arg("t"), py::arg("k"), py::arg("seed"),
             py::arg("row_perm") = false, py::arg("strategy") = 0, py::arg("checkpoint_budget") = 0)
        .def("route_rows", &route_rows_py, py::arg("begin"), py::arg("end"), py::arg("threads") = 0,
             py::arg("out") = py::none(),
             "Rows [begin, end) under the default random policy with this Router's k and seed; out, when given, "
             "is an (end - begin) x k int32 C-contiguous array, overwritten and returned.")
        .def_property_readonly("M", &Router::M)
        .def_property_readonly("E", &Router::E)
        .def_property_readonly("k", &Router::k)
        .def_property_readonly("sparse_rows", &Router::sparse_rows, "Rows whose candidates are enumerated.")
        .def_property_readonly("target_total", &Router::target_total, "sum(t), T's arcs laid end to end on the M-ring.")
        .def_property_readonly("memory_bytes", &Router::memory_bytes, "Bytes held beyond the inputs.")
        .def_property_readonly("checkpoint_stride", &Router::checkpoint_stride, "Rows between S's prefix checkpoints.");
    py::class_<PhaseWindow, CandidateSource>(m, "PhaseWindow",
                                             "Rows [first, first + len(s)) of the phase construction of M rows in "
                                             "input order (no row_perm), from their degrees s, phase = (sum of the "
                                             "degrees of the rows before them) mod E, and t: one shard's candidate "
                                             "source, O(len(s) + E) memory. Rows are numbered from 0.")
        .def(py::init(&make_window), py::arg("s"), py::arg("first"), py::arg("phase"), py::arg("M"), py::arg("t"),
             py::arg("seed"))
        .def_property_readonly("first_row", &PhaseWindow::first_row)
        .def_property_readonly("memory_bytes", &PhaseWindow::memory_bytes, "Bytes held beyond the inputs.");
    m.def("route_degrees", &route_degrees_py, py::arg("s"), py::arg("t"), py::arg("k"), py::arg("seed"),
          py::arg("row_perm") = false, py::arg("threads") = 0, py::arg("out") = py::none(), py::arg("strategy") = 0,
          "The spec's routing of degrees s (M) and t (E): all M rows under the random policy, M x k int32, "
          "-1 padded; out as in Router.route_rows.");
}

}  // namespace phase_router::bindings

// How this build was made and which CPU path the selection kernels took at load.
#include <pybind11/pybind11.h>

#include "common/cpu_path.hpp"
#include "ring/router.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

void bind_build_info(py::module_& m) {
    m.attr("has_openmp") = built_with_openmp();
    // The selection kernels' CPU path, chosen at load (PHASE_ROUTER_CPU may lower it).
    m.attr("cpu_path") = cpu_path_name(active_cpu_path());
    m.attr("cpu_path_best") = cpu_path_name(best_cpu_path());
    m.attr("cpu_path_requested") = requested_cpu_path();
}

}  // namespace phase_router::bindings

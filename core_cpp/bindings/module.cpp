// phase_router._core: thin pybind11 wrappers that take NumPy buffers, release the GIL and call the
// core. Each concept binds itself in its own file (concepts.def lists them). Friendly messages for
// bad input live in Python (phase_router/_internal/, one module per concern); here only one-line ValueErrors.
#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace phase_router::bindings {
#define PHASE_ROUTER_BINDING(concept) void bind_##concept(py::module_& m);
#include "bindings/concepts.def"
#undef PHASE_ROUTER_BINDING
}  // namespace phase_router::bindings

PYBIND11_MODULE(_core, m) {
    m.doc() = "phase-router C++ core (private; use the phase_router package)";
#define PHASE_ROUTER_BINDING(concept) phase_router::bindings::bind_##concept(m);
#include "bindings/concepts.def"
#undef PHASE_ROUTER_BINDING
}

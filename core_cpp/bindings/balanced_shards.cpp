// select_balanced_shard: select="balanced" on rows [begin, end) of a source as a routing of their
// own (candidates/row_range.hpp), keyed by the whole routing's row ids, against an explicit goal
// and the other shards' loads. routing/balanced_shards.py reconciles the shards with it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "bindings/arrays.hpp"
#include "bindings/balanced_report.hpp"
#include "bindings/kernel_call.hpp"
#include "candidates/row_range.hpp"
#include "selection/exchange_graph.hpp"
#include "selection/policy_balanced.hpp"

namespace py = pybind11;

namespace phase_router::bindings {

namespace {

using I64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

py::tuple select_balanced_shard(const CandidateSource& source, std::uint32_t k, std::uint64_t seed,
                                std::uint32_t begin, std::uint32_t end, int threads,
                                std::optional<std::uint32_t> rounds, std::int64_t goal,
                                std::optional<I64Array> base_load, bool with_graph, std::uint64_t row_offset) {
    if (k == 0) throw py::value_error("k must be at least 1");
    if (begin > end || end > source.sources()) throw py::value_error("row range outside [0, M]");
    if (goal < 0) throw py::value_error("goal must be at least 0");
    if (base_load && (base_load->ndim() != 1 || base_load->shape(0) != static_cast<py::ssize_t>(source.targets())))
        throw py::value_error("base_load must hold one load per target");
    BalancedOptions options;
    options.k = k;
    options.seed = seed;
    options.threads = threads;
    if (rounds) options.rounds = *rounds;
    options.first_row = row_offset + begin;
    options.goal = goal;
    options.base_load = base_load ? base_load->data() : nullptr;
    RoutesArray routes = routes_buffer(std::nullopt, end - begin, k);
    std::int32_t* out = routes.mutable_data();
    BalancedReport report;
    std::vector<std::uint64_t> graph;
    {
        KernelCall call;
        const RowRange shard(source, begin, end);
        select_balanced(shard, options, out, &report);
        if (with_graph) graph = exchange_graph(shard, k, out, threads);
    }
    py::dict d = balanced_report_dict(report);
    I64Array fixed(static_cast<py::ssize_t>(report.fixed_loads.size()));
    std::copy(report.fixed_loads.begin(), report.fixed_loads.end(), fixed.mutable_data());
    d["fixed_loads"] = fixed;
    if (with_graph) {
        const auto E = static_cast<py::ssize_t>(source.targets());
        py::array_t<std::uint64_t> arcs({E, static_cast<py::ssize_t>(graph.size() / std::max<std::size_t>(E, 1))});
        std::copy(graph.begin(), graph.end(), arcs.mutable_data());
        d["exchange_graph"] = arcs;
    }
    return py::make_tuple(routes, d);
}

}  // namespace

void bind_balanced_shards(py::module_& m) {
    m.def("select_balanced_shard", &select_balanced_shard,
          "select='balanced' on rows [begin, end) of source as a routing of their own: draws keyed by the whole "
          "routing's row ids (row_offset + the source's row: a PhaseWindow's first_row); goal > 0 fixes G (0: from the lower bound), base_load (E int64, or None) is added to "
          "every target's load and never moved. Returns (routes, report); report adds fixed_loads, the rows' "
          "own fixed load per target (rows without spare candidates), and with with_graph the selection's "
          "exchange graph (E x words uint64: row j's bit v set when a row routed to j has v unchosen).",
          py::arg("source"), py::arg("k"), py::arg("seed"), py::arg("begin"), py::arg("end"), py::arg("threads") = 0,
          py::arg("rounds") = py::none(), py::arg("goal") = 0, py::arg("base_load") = py::none(),
          py::arg("with_graph") = false, py::arg("row_offset") = 0);
}

}  // namespace phase_router::bindings

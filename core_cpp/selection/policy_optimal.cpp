#include "selection/policy_optimal.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/cancellation.hpp"
#include "selection/max_flow.hpp"
#include "selection/preference_flow.hpp"

namespace phase_router {

namespace {

using u128 = unsigned __int128;

// floor(numerator * t / denominator) and ceil(...) - 1 in exact integers.
std::int64_t floor_ratio(std::int64_t numerator, std::int64_t denominator, std::uint32_t t) {
    return static_cast<std::int64_t>(static_cast<u128>(numerator) * t / static_cast<u128>(denominator));
}
std::int64_t below_ratio(std::int64_t numerator, std::int64_t denominator, std::uint32_t t) {
    const u128 product = static_cast<u128>(numerator) * t;
    const u128 d = static_cast<u128>(denominator);
    return static_cast<std::int64_t>((product + d - 1) / d) - 1;  // largest load with ratio < n/d
}

// The flow graph of one candidate source, and feasibility of cap vectors on it.
class SelectionFlow {
public:
    SelectionFlow(const CandidateSource& source, std::uint32_t k, std::uint64_t max_pairs)
        : M_(source.sources()), E_(source.targets()), flow_(M_ + E_ + 2) {
        const std::uint32_t src = 0, sink = M_ + E_ + 1;
        // Candidate rows, ascending, in row order.
        offsets_.assign(std::size_t{M_} + 1, 0);
        CandidateScratch scratch;
        std::vector<std::uint32_t> row(std::max<std::uint32_t>(source.max_candidates(), 1));
        for (std::uint32_t i = 0; i < M_; ++i) {
            throw_if_cancelled();
            const std::uint32_t c = source.row_candidates(i, scratch, row.data());
            if (offsets_[i] + c > max_pairs)
                throw std::length_error("the candidate graph has more than " + std::to_string(max_pairs) +
                                        " pairs, the most select='optimal' handles");
            targets_.insert(targets_.end(), row.begin(), row.begin() + c);
            if (const std::int64_t* w = source.candidate_weights(i)) {
                weights_.resize(offsets_[i], 1);  // rows before the first weighted one weigh 1 each
                weights_.insert(weights_.end(), w, w + c);
            }
            offsets_[i + 1] = offsets_[i] + c;
            required_ += std::min(k, c);
        }
        // Edge numbers: rows 0..M-1 (source -> row), then every candidate pair in row order, then
        // targets (target -> sink).
        for (std::uint32_t i = 0; i < M_; ++i)
            flow_.add_edge(src, 1 + i, std::min<std::uint64_t>(k, offsets_[i + 1] - offsets_[i]));
        for (std::uint32_t i = 0; i < M_; ++i) {
            poll_cancel(i);
            for (std::uint64_t x = offsets_[i]; x < offsets_[i + 1]; ++x) flow_.add_edge(1 + i, 1 + M_ + targets_[x], 1);
        }
        sink_edges_ = flow_.count();
        for (std::uint32_t j = 0; j < E_; ++j) flow_.add_edge(1 + M_ + j, sink, 0);
        flow_.finish();
        in_degree_.assign(E_, 0);
        for (const std::uint32_t j : targets_) ++in_degree_[j];
        if (!weights_.empty()) weights_.resize(targets_.size(), 1);
    }

    std::uint64_t pairs() const { return targets_.size(); }
    std::uint64_t required() const { return required_; }
    const std::vector<std::uint64_t>& in_degree() const { return in_degree_; }
    std::uint32_t runs() const { return runs_; }
    const std::vector<std::uint64_t>& offsets() const { return offsets_; }
    const std::vector<std::uint32_t>& targets() const { return targets_; }
    const std::vector<std::int64_t>& weights() const { return weights_; }  // empty: every pair weighs 1

    // Whether every row keeps r_i candidates with target j taking at most caps[j].
    bool feasible(const std::vector<std::int64_t>& caps) {
        for (std::uint32_t j = 0; j < E_; ++j) flow_.set_capacity(sink_edges_ + j, std::max<std::int64_t>(caps[j], 0));
        flow_.reset();
        ++runs_;
        return static_cast<std::uint64_t>(flow_.run(0, M_ + E_ + 1)) == required_;
    }

    std::vector<std::int64_t> loads() const {
        std::vector<std::int64_t> load(E_, 0);
        for (std::uint32_t j = 0; j < E_; ++j) load[j] = flow_.flow(sink_edges_ + j);
        return load;
    }

    // The current flow as routes (M x k, ascending, -1 padded).
    void write_routes(std::uint32_t k, std::int32_t* out) const {
        std::uint64_t edge = M_;
        for (std::uint32_t i = 0; i < M_; ++i) {
            std::int32_t* row = out + std::size_t{i} * k;
            std::uint32_t kept = 0;
            for (std::uint64_t x = offsets_[i]; x < offsets_[i + 1]; ++x, ++edge)
                if (flow_.flow(edge) == 1) row[kept++] = static_cast<std::int32_t>(targets_[x]);
            std::fill(row + kept, row + k, -1);
        }
    }

private:
    std::uint32_t M_, E_;
    MaxFlow flow_;
    std::vector<std::uint64_t> offsets_;
    std::vector<std::uint32_t> targets_;
    std::vector<std::int64_t> weights_;
    std::vector<std::uint64_t> in_degree_;
    std::uint64_t required_ = 0;
    std::uint64_t sink_edges_ = 0;
    std::uint32_t runs_ = 0;
};

}  // namespace

OptimalResult select_optimal(const CandidateSource& source, const OptimalOptions& options, std::int32_t* out) {
    if (options.k == 0) throw std::invalid_argument("k must be at least 1");
    if (options.relative && options.preference)
        throw std::invalid_argument("the objective preference keeps the caps of the objective max, not relative");
    const std::uint32_t E = source.targets();
    const std::uint32_t* t = source.target_degrees();
    SelectionFlow graph(source, options.k, options.max_candidate_pairs);
    OptimalResult result;
    result.candidate_pairs = graph.pairs();
    std::vector<std::int64_t> caps(E);

    if (!options.relative) {
        // Binary search on one cap L for every target: ceil(R / E) is a lower bound, the largest
        // in-degree always suffices.
        const std::int64_t in_max = static_cast<std::int64_t>(
            *std::max_element(graph.in_degree().begin(), graph.in_degree().end()));
        std::int64_t lo = static_cast<std::int64_t>((graph.required() + E - 1) / E), hi = std::max(lo, in_max);
        while (lo < hi) {
            const std::int64_t mid = lo + (hi - lo) / 2;
            std::fill(caps.begin(), caps.end(), mid);
            if (graph.feasible(caps)) hi = mid; else lo = mid + 1;
        }
        result.numerator = hi;
        std::fill(caps.begin(), caps.end(), hi);
    } else {
        // lambda = n / d; caps_j = floor(lambda t_j). Bisection in doubles steers the search; the
        // exact descent below proves the optimum.
        std::uint64_t t_sum = 0;
        std::uint32_t t_max = 1;
        for (std::uint32_t j = 0; j < E; ++j) {
            if (graph.in_degree()[j] == 0) continue;  // never a candidate: takes no load
            t_sum += t[j];
            t_max = std::max(t_max, t[j]);
        }
        double lo = t_sum ? static_cast<double>(graph.required()) / static_cast<double>(t_sum) : 0.0;
        // Caps at least every in-degree always suffice: lambda = 1 where no target is a candidate
        // of more than t_j rows (the phase construction, masks), the largest in-degree / t_j where
        // some are (hashed candidates); the margin keeps floor(hi t_j) >= in-degree in doubles.
        double hi = 1.0;
        for (std::uint32_t j = 0; j < E; ++j)
            if (t[j] > 0 && graph.in_degree()[j] > t[j])
                hi = std::max(hi, static_cast<double>(graph.in_degree()[j]) / t[j] * (1.0 + 1e-9));
        for (int step = 0; step < 40 && hi - lo > 0.25 / (static_cast<double>(t_max) * t_max); ++step) {
            const double mid = 0.5 * (lo + hi);
            for (std::uint32_t j = 0; j < E; ++j) caps[j] = static_cast<std::int64_t>(mid * t[j]);
            if (graph.feasible(caps)) hi = mid; else lo = mid;
        }
        for (std::uint32_t j = 0; j < E; ++j) caps[j] = static_cast<std::int64_t>(hi * t[j]);
        if (!graph.feasible(caps)) throw std::logic_error("select='optimal': the starting caps are infeasible");
        // Exact descent: rho = the flow's max load_j / t_j; if loads strictly below rho are
        // feasible, take that flow and repeat; otherwise rho is the optimum.
        for (;;) {
            const auto load = graph.loads();
            std::int64_t n = 0, d = 1;
            for (std::uint32_t j = 0; j < E; ++j)
                if (t[j] > 0 && static_cast<u128>(load[j]) * d > static_cast<u128>(n) * t[j]) n = load[j], d = t[j];
            result.numerator = n;
            result.denominator = d;
            for (std::uint32_t j = 0; j < E; ++j) caps[j] = t[j] ? below_ratio(n, d, t[j]) : 0;
            if (n == 0 || !graph.feasible(caps)) break;
        }
        for (std::uint32_t j = 0; j < E; ++j) caps[j] = floor_ratio(result.numerator, result.denominator, t[j]);
    }
    result.max_flows = graph.runs();
    if (options.preference) {
        // The routes: the most weight at exactly the optimal caps (a minimum-cost flow).
        const PreferenceResult kept = keep_most_weight(graph.offsets(), graph.targets(), graph.weights(), E,
                                                       options.k, caps, options.max_candidate_pairs / 4, out);
        result.kept_weight = kept.kept_weight;
        result.augmentations = kept.augmentations;
        result.exchanges = kept.exchanges;
        return result;
    }
    // The routes: Dinic from scratch at exactly the optimal caps.
    if (!graph.feasible(caps)) throw std::logic_error("select='optimal': the proven caps are infeasible");
    graph.write_routes(options.k, out);
    result.max_flows = graph.runs();
    return result;
}

}  // namespace phase_router

// Seed-derived permutations (SPEC §"Permutations"): pi = the order that sorts the keys
// splitmix(key, 0), splitmix(key, 1), ... ascending. The keys are distinct (SplitMix64 is a
// bijection), so the result does not depend on the sort algorithm, library or platform.
#pragma once
#include <cstdint>
#include <vector>

namespace phase_router {

// perm[r] = the index whose key is the r-th smallest, for indices 0..n-1.
std::vector<std::uint32_t> keyed_permutation(std::uint64_t key, std::uint32_t n);

// perm[begin .. end) of keyed_permutation(key, n), in O(n) time but O(end - begin) memory (plus
// 2^16 counters): a shard of a routing needs the T-ring positions of its own rows only.
std::vector<std::uint32_t> keyed_permutation_slice(std::uint64_t key, std::uint32_t n, std::uint32_t begin,
                                                   std::uint32_t end);

// inverse[perm[r]] = r.
std::vector<std::uint32_t> inverse_permutation(const std::vector<std::uint32_t>& perm);

// 0, 1, ..., n-1.
std::vector<std::uint32_t> identity_permutation(std::uint32_t n);

}  // namespace phase_router

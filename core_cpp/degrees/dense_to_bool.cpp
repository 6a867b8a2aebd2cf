#include "degrees/dense_to_bool.hpp"

#include <algorithm>
#include <type_traits>

#include "degrees/element_rules.hpp"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define PHASE_ROUTER_TO_BOOL_SSE2 1
#endif

namespace phase_router {
namespace {

// Nonzero when some byte is above 1: the OR of all bytes has a bit above the lowest in some byte
// exactly then. Two 16-byte ORs per 32 bytes: the pass keeps up with the cache the bytes sit in.
std::uint64_t high_bits(const std::uint8_t* p, std::uint64_t n) {
    std::uint64_t any = 0, i = 0;
#ifdef PHASE_ROUTER_TO_BOOL_SSE2
    __m128i a = _mm_setzero_si128(), b = _mm_setzero_si128();
    for (; i + 32 <= n; i += 32) {
        a = _mm_or_si128(a, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
        b = _mm_or_si128(b, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16)));
    }
    alignas(16) std::uint64_t lanes[2];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), _mm_or_si128(a, b));
    any = lanes[0] | lanes[1];
#endif
    for (; i + 8 <= n; i += 8) any |= load<std::uint64_t>(p + i);
    for (; i < n; ++i) any |= p[i];
    return any & 0xFEFEFEFEFEFEFEFEull;
}

template <class U, class Rule>
bool convert(const std::uint8_t* data, std::uint64_t items, std::uint8_t* out) {
    if (sizeof(U) == 1) {
        // Valid bytes are already bools, so the common case only reads (in place: the chunk the
        // caller just read, still in cache). Bools above 1 are rewritten as 1; integers above 1 are
        // invalid.
        if (high_bits(data, items) == 0) {
            if (out != data) std::copy(data, data + items, out);
            return true;
        }
        if (!std::is_same<Rule, BooleanRule<U>>::value) return false;
    }
    U bad = 0;
    for (std::uint64_t i = 0; i < items; ++i) {
        const U v = load<U>(data + i * sizeof(U));
        out[i] = static_cast<std::uint8_t>(Rule::one(v) != 0);
        bad |= Rule::bad(v);
    }
    return bad == 0;
}

}  // namespace

bool dense_to_bool(const std::uint8_t* data, std::uint64_t items, unsigned item_size, ElementKind kind,
                   std::uint8_t* out) {
    return with_rule(kind, item_size, [&](auto tag) {
        using Tag = decltype(tag);
        return convert<typename Tag::Item, typename Tag::Rule>(data, items, out);
    });
}

}  // namespace phase_router

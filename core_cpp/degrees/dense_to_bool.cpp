#include "degrees/dense_to_bool.hpp"

#include <algorithm>
#include <type_traits>

#include "degrees/byte_count.hpp"
#include "degrees/element_rules.hpp"

namespace phase_router {
namespace {

template <class U, class Rule>
bool convert(const std::uint8_t* data, std::uint64_t items, std::uint8_t* out) {
    if (sizeof(U) == 1) {
        // Valid bytes are already bools, so the common case only reads (in place: the chunk the
        // caller just read, still in cache). Bools above 1 are rewritten as 1; integers above 1 are
        // invalid.
        if (byte_count_kernels().high_bits(data, items) == 0) {
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

// What one element of a dense 0/1 matrix means, on its bit pattern U (little-endian, as NumPy
// stores it on the machines we build for): shared by the row-degree pass and the bool conversion
// so both accept exactly the same values.
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "degrees/dense_row_degrees.hpp"

namespace phase_router {

// one(v) is 1 for a one and 0 for a zero (read only when the element is valid); bad(v) is nonzero
// when the element is not 0/1. Both are branch-free so the loops using them vectorise.
template <class U>
struct BooleanRule {
    static U one(U v) { return static_cast<U>(v != 0); }
    static U bad(U) { return 0; }
};

template <class U>
struct IntegerRule {
    static U one(U v) { return v; }  // only read when every element is 0 or 1
    static U bad(U v) { return static_cast<U>(v & static_cast<U>(~U(1))); }
};

template <class U, U OneBits>
struct FloatRule {
    // +0 and -0 are zero (they compare equal to 0), exactly 1.0 is one, anything else (NaN,
    // infinities, other values) is invalid.
    static U one(U v) { return static_cast<U>(v == OneBits); }
    static U bad(U v) { return static_cast<U>((v != OneBits) & (static_cast<U>(v << 1) != 0)); }
};

template <class U>
U load(const std::uint8_t* p) {
    U v;
    std::memcpy(&v, p, sizeof(U));
    return v;
}

template <class U, class R>
struct RuleTag {
    using Item = U;
    using Rule = R;
};

// f(RuleTag<U, Rule>{}) for the element type and rule of `kind` at `item_size` bytes; throws
// std::invalid_argument for an item size the kind does not have.
template <class F>
auto with_rule(ElementKind kind, unsigned item_size, F&& f) {
    switch (kind) {
        case ElementKind::boolean:
            if (item_size == 1) return f(RuleTag<std::uint8_t, BooleanRule<std::uint8_t>>{});
            break;
        case ElementKind::integer:
            switch (item_size) {
                case 1: return f(RuleTag<std::uint8_t, IntegerRule<std::uint8_t>>{});
                case 2: return f(RuleTag<std::uint16_t, IntegerRule<std::uint16_t>>{});
                case 4: return f(RuleTag<std::uint32_t, IntegerRule<std::uint32_t>>{});
                case 8: return f(RuleTag<std::uint64_t, IntegerRule<std::uint64_t>>{});
                default: break;
            }
            break;
        case ElementKind::floating:
            switch (item_size) {
                case 2: return f(RuleTag<std::uint16_t, FloatRule<std::uint16_t, 0x3C00u>>{});
                case 4: return f(RuleTag<std::uint32_t, FloatRule<std::uint32_t, 0x3F800000u>>{});
                case 8: return f(RuleTag<std::uint64_t, FloatRule<std::uint64_t, 0x3FF0000000000000ull>>{});
                default: break;
            }
            break;
    }
    throw std::invalid_argument("unsupported element kind / item size for a dense 0/1 matrix");
}

}  // namespace phase_router

// A run of dense 0/1 elements (NumPy bool, integer or float) written as bool bytes (0 or 1), with
// the check that every element is 0 or 1 done in the same pass: a matrix read for its bits.
#pragma once
#include <cstdint>

#include "degrees/dense_row_degrees.hpp"

namespace phase_router {

// Writes out[i] = 1 for a one and 0 for a zero, for the `items` elements of `item_size` bytes at
// data. Returns false if some element is not 0/1 (out is then meaningless; the caller names the
// value on its slow path). Bool elements are never invalid: any nonzero byte is true, as NumPy
// reads it. For one-byte elements data may be out itself (converted in place, and only written
// where a byte changes). Throws std::invalid_argument for an item size the kind does not have.
bool dense_to_bool(const std::uint8_t* data, std::uint64_t items, unsigned item_size, ElementKind kind,
                   std::uint8_t* out);

}  // namespace phase_router

// Step 1 on an unpacked matrix: ones per row of a dense 0/1 array (NumPy bool, integer or float
// elements, any strides), with the check that every element is 0 or 1 done in the same pass.
// The pass reads each element once, so it runs at the speed memory delivers the matrix.
#pragma once
#include <cstdint>

namespace phase_router {

enum class ElementKind : int {
    boolean = 0,   // one byte; nonzero counts as one (NumPy's bool), never invalid
    integer = 1,   // signed or unsigned, little-endian, 1/2/4/8 bytes; valid iff the value is 0 or 1
    floating = 2,  // IEEE binary16/32/64, little-endian; valid iff +0, -0 or 1.0 (NaN, inf invalid)
};

// Element (r, c) starts at origin + r * row_stride + c * col_stride (strides in bytes, may be
// negative, as NumPy's).
struct DenseMatrix {
    const std::uint8_t* origin;
    std::uint64_t rows, cols;
    std::int64_t row_stride, col_stride;
    unsigned item_size;
    ElementKind kind;
};

// Writes the ones of each row into out[0..rows). Returns false if some element is not 0/1 (the
// degrees are then meaningless; the caller finds and names the value on its slow path).
// Throws std::invalid_argument for an item size the kind does not have. threads = 1 counts on the
// calling thread without entering a parallel region, so it may be called from a caller's own workers.
bool dense_row_degrees(const DenseMatrix& matrix, std::uint32_t* out, int threads);

}  // namespace phase_router

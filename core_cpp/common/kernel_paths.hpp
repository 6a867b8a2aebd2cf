// The preamble of a file that compiles one kernel once per CPU path, each copy inside a
// `#pragma GCC target` region (selection/draw_paths.cpp, degrees/byte_count_paths.cpp):
// PHASE_ROUTER_X86_PATHS where GCC compiles code for wider instruction sets by target region
// (x86-64), with their intrinsics; and, for the rest of the file until its
// `#pragma GCC diagnostic pop`, GCC 12's AVX-512 headers' own "undefined vector" idiom kept
// from tripping -Wmaybe-uninitialized. Include it after every other header, which must stay
// baseline.
#pragma once

#if (defined(__x86_64__) || defined(_M_X64)) && defined(__GNUC__) && !defined(__clang__)
#define PHASE_ROUTER_X86_PATHS 1
#include <immintrin.h>
#endif

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

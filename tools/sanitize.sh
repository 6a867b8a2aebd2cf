#!/usr/bin/env bash
# `make sanitize`: the C++ kernels under AddressSanitizer + UndefinedBehaviorSanitizer, then
# under valgrind memcheck (small shapes). Builds into build/sanitize-* from a clean checkout;
# exits non-zero on any sanitizer report, valgrind error or failed invariant.
#
# The valgrind build is portable (-DPHASE_ROUTER_NATIVE=OFF): the default -march=native emits
# AVX-512 on machines that have it, and valgrind cannot execute AVX-512 instructions.
set -euo pipefail
cd "$(dirname "$0")/.."
CMAKE=${CMAKE:-$(command -v .venv/bin/cmake || command -v cmake)}
JOBS=${JOBS:-2}

build() {  # build DIR CMAKE-OPTIONS...
    local dir=$1
    shift
    "$CMAKE" -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >"$dir.configure.log" 2>&1 \
        || { cat "$dir.configure.log"; exit 1; }
    "$CMAKE" --build "$dir" --target kernel_check route_digest -j "$JOBS" >"$dir.build.log" 2>&1 \
        || { cat "$dir.build.log"; exit 1; }
}

mkdir -p build
summary=()

echo "== ASan + UBSan build (native CPU, OpenMP) =="
build build/sanitize-asan -DPHASE_ROUTER_SANITIZE=ON -DPHASE_ROUTER_NATIVE=ON -DPHASE_ROUTER_OPENMP=ON
# detect_leaks: leaks are reports too. halt_on_error: the first report ends the run, non-zero.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
build/sanitize-asan/kernel_check
summary+=("asan+ubsan kernel_check: clean")
for args in "1000 777 100 5 0 2" "777 1000 300 9223372036854775809 1 2" "65 4000 1 9 1 1"; do
    # shellcheck disable=SC2086
    build/sanitize-asan/route_digest $args >/dev/null
done
summary+=("asan+ubsan route_digest (3 shapes): clean")
unset ASAN_OPTIONS UBSAN_OPTIONS

if command -v valgrind >/dev/null; then
    echo "== valgrind memcheck (portable build, small shapes) =="
    build build/sanitize-valgrind -DPHASE_ROUTER_NATIVE=OFF -DPHASE_ROUTER_OPENMP=OFF
    valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --quiet build/sanitize-valgrind/kernel_check small
    summary+=("valgrind memcheck kernel_check small: clean")
else
    summary+=("valgrind: not installed, skipped")
    echo "valgrind not installed" >&2
    exit 1
fi

echo "== sanitize summary =="
printf '  %s\n' "${summary[@]}"

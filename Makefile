# The two commands of the README: `make run` and `make test` (plus `make bench`).
# Each first installs any missing Debian package (scripts/setup-deps.sh), then builds with CMake.
# `make sanitize`: the unit and badinput labels under ASan + UBSan; `make fuzz`: the libFuzzer
# targets for FUZZ_SECONDS each (tests/fuzz/README.md).
NP ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 60
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1

.PHONY: all deps build run test sanitize fuzz bench format clean

all: build

deps:
	@bash scripts/setup-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(NP) >/dev/null

# On Ctrl-C or TERM, mpirun (Open MPI 4) waits the sigkill timeout, passes TERM to the ranks,
# waits it again, then SIGKILLs them: 3 s instead of 1 leaves the ranks time to add the scenario
# under way to their checkpoint even on a loaded machine (README, "Checkpoints and resume").
run: build
	mpirun --mca odls_base_sigkill_timeout 3 -np $(NP) $(BUILD)/doseval run configs/nct05563545.yaml

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(NP)

# The sanitizer options each test runs with are set by tests/CMakeLists.txt (SANITIZE_ENV).
sanitize: deps
	@cmake -S . -B $(ASAN_BUILD) -DSANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(NP) >/dev/null
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(NP) -L 'unit|badinput'

fuzz: deps
	bash tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh $(BUILD)/doseval
	bash bench/writers.sh $(BUILD)/doseval
	bash bench/titecrm.sh $(BUILD)/doseval
	bash bench/titecrm_run.sh $(BUILD)/doseval
	bash bench/time.sh $(BUILD)/doseval

format:
	clang-format -i src/*/*.c src/*/*.h designs/*.c designs/*.h tests/*.c tests/*.h

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz

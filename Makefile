# The two commands of the README: `make run` and `make test` (plus `make bench`).
# Each first installs any missing Debian package (scripts/setup-deps.sh), then builds with CMake.
NP ?= $(shell nproc)
BUILD ?= build
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1

.PHONY: all deps build run test bench format clean

all: build

deps:
	@bash scripts/setup-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(NP) >/dev/null

run: build
	mpirun -np $(NP) $(BUILD)/doseval run configs/nct05563545.yaml

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(NP)

bench: build
	bash bench/run.sh $(BUILD)/doseval
	bash bench/writers.sh $(BUILD)/doseval

format:
	clang-format -i src/*.c src/*.h designs/*.c designs/*.h tests/*.c tests/*.h

clean:
	rm -rf $(BUILD)

# Thin wrapper over CMake: the two quickstart targets of the README, and a few conveniences.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps build test demo bench clean

all: build

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j$(JOBS)

# Installs, builds and runs every test (unit + integration against real processes).
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# Installs, builds, starts the node on embedded defaults, sends it a bundled study with storescu,
# and shows what it stored.
demo: build
	./scripts/demo.sh $(BUILD_DIR)

bench: build
	./bench/ingest.sh
	./bench/find.sh
	./bench/inference.sh
	./bench/pipeline.sh

clean:
	rm -rf $(BUILD_DIR)

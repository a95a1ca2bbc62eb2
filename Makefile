# The front door. `make demo` and `make test` install what is missing first.
BUILD_DIR := build
JOBS ?= $(shell nproc)

.PHONY: deps build test test-unit demo bench asan format clean

deps:
	@scripts/install-deps

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

test-unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L unit

demo: build
	@scripts/demo

bench: build
	@bench/render-bench

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -L unit

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build build-debug build-asan

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

# Unit and scenario tiers built with AddressSanitizer + UndefinedBehaviorSanitizer (the
# scenario tests run the sanitized ssr binary on every bundle they build).
asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@cd build-asan && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -L 'unit|scenario' --timeout 900

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build build-debug build-asan

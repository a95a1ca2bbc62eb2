# The front door. `make demo` and `make test` install what is missing first.
BUILD_DIR := build
JOBS ?= $(shell nproc)

.PHONY: deps web build test test-unit demo bench asan fuzz format lint-format lint-tidy clean

deps:
	@scripts/install-deps

# The web app and its embeddable elements (web/dist, served by `ssr serve`).
web: deps
	@cd web && npm run --silent build

build: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

test-unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L unit

# The live demo (scripts/demo): builds only what it runs — the server and the web app (the
# `web` target) — not the test binaries. The offline render is scripts/render-demo.
demo: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target ssr -j $(JOBS)
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

# libFuzzer (clang) on every parser, FUZZ_SECONDS each; new crashes land in fuzz/crashes/ —
# add them to fuzz/corpus/<target>/ so ctest replays them from then on.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= events_fuzzer jwt_fuzzer whip_offer_fuzzer rtp_forward_fuzzer byte_range_fuzzer \
	ids_fuzzer rfc3339_fuzzer sharing_fuzzer org_settings_fuzzer events_ws_fuzzer
fuzz:
	@scripts/install-deps fuzz
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DSSR_FUZZ=ON -DSSR_SANITIZE=ON -DBUILD_TESTING=OFF >/dev/null
	@cmake --build build-fuzz --target $(FUZZ_TARGETS) -j $(JOBS)
	@mkdir -p fuzz/crashes && for t in $(FUZZ_TARGETS); do \
		work=$$(mktemp -d); \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		build-fuzz/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/crashes/ \
			$$work fuzz/corpus/$$t || exit 1; rm -rf $$work; done

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

# CI: every C++ file already formatted (`make format` fixes what this reports).
lint-format: deps
	@clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.h') && echo "lint-format: clean"

# clang-tidy (.clang-tidy) on every .cpp in src/ and apps/, findings are errors; configures the
# release preset and builds `ssr` first (compile_commands.json, generated sources).
lint-tidy: deps
	@JOBS=$(JOBS) scripts/lint-tidy

clean:
	rm -rf build build-debug build-asan web/dist

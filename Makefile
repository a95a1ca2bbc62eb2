# The front door. `make demo` and `make test` install what is missing first.
BUILD_DIR := build
JOBS ?= $(shell nproc)

.PHONY: deps web build test test-unit demo bench asan tsan fuzz format lint-format lint-tidy clean

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
	@cd build-asan && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS) -L 'unit|scenario' --timeout 900

# ThreadSanitizer on live recordings, sized for CI (5-10 min to build on 2 cores, 1 min to
# run): only the server and the live tier are built (build-tsan, -O1), and five live tests run
# on them — WHIP (VP8 and H.264) and RTP publishers recorded, stopped and checked (the first
# WHIP one also renders its bundle with `ssr render`), a SIGTERM mid-recording, and WHIP
# sessions opened and torn down in turn.
# Each TSan-built process — the test binary and every `ssr serve` and `ssr render` it starts,
# build-tsan/ssr (SSR_BINARY) — writes its reports to build-tsan/tsan/report.PID (log_path), so
# a report in a child server is never lost in its log; scripts/tsan-reports then fails the
# target on any report in our code. halt_on_error stays off and exitcode=0 keeps each exit
# status the program's own: reports inside GLib and GStreamer (not ours, see tests/tsan.supp)
# must neither stop a server mid-test nor fail a test that checks an exit code. G_SLICE: see
# tests/tsan.supp.
TSAN_TESTS := WhipIngestTest.AiortcPatternAndToneAreRecorded|WhipIngestTest.AiortcH264IsRecordedAndKeptAsReceived|RtpIngestTest.GstreamerVideoAndAudioAreRecorded|LiveCrashTest.SigtermFinishesThePartBeforeExitAndTheRecordingGoesOnAfterARestart|WhipConformanceTest.DeleteFreesPipelinesAndThreads
tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan --target ssr ssr_live_tests -j $(JOBS)
	@rm -rf build-tsan/tsan && mkdir -p build-tsan/tsan
	@found=$$(cd build-tsan && ctest -N -L live -R '^($(TSAN_TESTS))$$' | grep -c 'Test *#'); \
		[ "$$found" -eq $(words $(subst |, ,$(TSAN_TESTS))) ] || \
		{ echo "make tsan: $$found of the $(words $(subst |, ,$(TSAN_TESTS))) tests in TSAN_TESTS exist"; exit 1; }
	@cd build-tsan && G_SLICE=always-malloc \
		TSAN_OPTIONS=halt_on_error=0:exitcode=0:second_deadlock_stack=1:history_size=4:suppressions=$(CURDIR)/tests/tsan.supp:log_path=$(CURDIR)/build-tsan/tsan/report \
		ctest --output-on-failure -L live -R '^($(TSAN_TESTS))$$' --timeout 600; \
		status=$$?; cd .. && scripts/tsan-reports build-tsan/tsan || status=1; exit $$status

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
	rm -rf build build-debug build-asan build-tsan web/dist

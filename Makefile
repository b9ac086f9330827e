# Front door for building and testing vadsp. The real build is Meson; these targets set up
# build directories and install what is missing (scripts/install-deps) before they run.
#
#   make          build (gcc, -Werror) into build/
#   make check    the whole test suite under ASan/UBSan (clang) in build-check/, fuzz targets
#                 briefly and the QEMU guest tests included; ends with "N passed, N failed"
#   make bench    benchmarks (optimised build in build-bench/)
#   make fuzz     every fuzz target for FUZZ_SECONDS (default 600) each
#   make demo     build, then play a test signal from a process guest through vadspd's shared
#                 DSP into build/demo/out.wav, change its volume midway and print the levels
#   make clean

BUILD        ?= build
CHECK_BUILD  ?= build-check
BENCH_BUILD  ?= build-bench
FUZZ_SECONDS ?= 600
MESON_TEST   ?= meson test --print-errorlogs

.PHONY: all deps deps-build check bench fuzz demo clean

all: deps-build
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) -Dwerror=true -Dfuzz=false
	ninja -C $(BUILD)

deps-build:
	@scripts/install-deps --build-only

deps:
	@scripts/install-deps

$(CHECK_BUILD)/build.ninja:
	CC=clang meson setup $(CHECK_BUILD) -Dwerror=true -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false

check: deps $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	tests/vm/build-guest $(CHECK_BUILD)/vm
	@rc=0; ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MESON_TEST) -C $(CHECK_BUILD) --num-processes 2 || rc=$$?; \
		python3 scripts/test-summary.py $(CHECK_BUILD) || rc=1; exit $$rc

bench: deps-build
	@test -f $(BENCH_BUILD)/build.ninja || \
		meson setup $(BENCH_BUILD) -Dbuildtype=release -Dtests=false -Dwerror=true
	ninja -C $(BENCH_BUILD)
	meson test -C $(BENCH_BUILD) --benchmark --verbose

fuzz: deps $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	meson configure $(CHECK_BUILD) -Dfuzz_seconds=$(FUZZ_SECONDS)
	@rc=0; $(MESON_TEST) -C $(CHECK_BUILD) --suite fuzz --num-processes 2 \
		--timeout-multiplier 1 || rc=$$?; \
		meson configure $(CHECK_BUILD) -Dfuzz_seconds=15; \
		python3 scripts/test-summary.py $(CHECK_BUILD) || rc=1; exit $$rc

demo: all
	scripts/demo $(BUILD)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(BENCH_BUILD)

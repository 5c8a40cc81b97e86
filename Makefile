# herald -- build, test, fuzz, bench.
#
#   make                 library, ./herald, runtime data (build/data)
#   make check           unit tests, golden and CLI tests, fuzz corpus replay
#   make SANITIZE=address,undefined check
#                        the same under ASan + UBSan (separate build dir)
#   make fuzz            libFuzzer targets (clang), in build-fuzz/
#   make fuzz-run        every target for FUZZ_SECONDS (60) each, two at a time
#   make fuzz-long       the same for FUZZ_SECONDS (1800) each
#   make bench           benchmarks on ../shared/data (see bench/README)
#   make lint            cppcheck + tools/lint.sh
#
# MSan is not offered: Debian's ICU, SQLite and jansson are not instrumented,
# so every read of their memory would be a false positive.

SHARED ?= $(abspath ../shared)
CC ?= cc
CXX ?= c++
SANITIZE ?=
DEVELOPER ?= 1

PKGS := icu-uc icu-i18n libutf8proc sqlite3 jansson gumbo uchardet libxxhash libxml-2.0 libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

ifeq ($(SANITIZE),)
BUILD := build
OPT := -O2
else
BUILD := build-san
OPT := -O1 -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wwrite-strings -Wformat=2 \
	-Wundef -Wpointer-arith -Wcast-qual -Wvla -Wimplicit-fallthrough \
	-Wredundant-decls
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

DATADIR := $(abspath build)/data
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DHD_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS)
CFLAGS += -std=c11 -g $(OPT) $(WARN) -fno-common -fvisibility=hidden
CXXFLAGS += -std=c++17 -g $(OPT) -Wall -Wextra -fvisibility=hidden
LDLIBS += $(PKG_LIBS) -lcsv -lfasttext -lstemmer -lz -lstdc++ -lpthread -lm

LIB_C := $(wildcard src/*.c)
LIB_CXX := $(wildcard src/*.cc)
LIB_OBJ := $(LIB_C:src/%.c=$(BUILD)/src/%.o) $(LIB_CXX:src/%.cc=$(BUILD)/src/%.o)
TEST_C := $(wildcard tests/unit/*.c) tests/runner.c
TEST_OBJ := $(TEST_C:%.c=$(BUILD)/%.o)
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out tests/fuzz/fuzz_main.c,$(wildcard tests/fuzz/fuzz_*.c)))
TOOLS_C := $(wildcard tools/*.c)
TRAIN_C := $(wildcard tools/train_*.c)

tools: $(TOOLS_C:tools/%.c=$(BUILD)/tools/%)
BENCH_C := $(wildcard bench/*.c)

.DEFAULT_GOAL := all
.SECONDEXPANSION:

.PHONY: test all lib cli data tools check unit cli-test fuzz-replay fuzz fuzz-run fuzz-long asan bench lint format clean

all: lib cli data

# The README's test command: the whole suite, plain and under ASan+UBSan,
# then every fuzz target for a minute.
test:
	$(MAKE) check
	$(MAKE) SANITIZE=address,undefined check
	$(MAKE) fuzz-run

lib: $(BUILD)/libherald.a
cli: herald $(BUILD)/herald

$(BUILD)/src/%.o: src/%.c $(wildcard src/*.h) include/herald.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/src/%.o: src/%.cc $(wildcard src/*.h) include/herald.h
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c -o $@ $<

$(BUILD)/libherald.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

CLI_OBJ := $(patsubst cli/%.c,$(BUILD)/cli/%.o,$(wildcard cli/*.c))

# herald serve's HTTP server.
$(BUILD)/herald: LDLIBS += $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
$(BUILD)/herald: $(CLI_OBJ) $(BUILD)/libherald.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cli/%.o: cli/%.c $(wildcard cli/*.h) include/herald.h
	@mkdir -p $(dir $@)
	$(CC) -Iinclude -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(CFLAGS) -c -o $@ $<

# ./herald at the repository root is the normal build.
herald: build/herald
	cp build/herald $@
ifneq ($(BUILD),build)
build/herald:
	$(MAKE) SANITIZE= build/herald
endif

# Runtime data: models from npm (tools/deps.sh installs them) and models the
# project trains from ../shared, gathered in $(DATADIR).
FT_MODEL := node_modules/fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz

ifeq ($(SANITIZE),)
data: $(DATADIR)/stamp
else
# Sanitized builds share the normal build's data (training runs once).
data:
	$(MAKE) SANITIZE= data
endif

$(DATADIR)/stamp: $(wildcard data/*) $(TRAIN_C:tools/train_%.c=$(DATADIR)/.trained-%)
	@mkdir -p $(DATADIR)
	@if [ -f $(FT_MODEL) ]; then ln -sf $(abspath $(FT_MODEL)) $(DATADIR)/lid.176.ftz; \
	 else echo "note: $(FT_MODEL) missing; run tools/deps.sh" >&2; fi
	@for f in data/*; do [ -e "$$f" ] || continue; case $$f in data/README*) ;; *) ln -sf $(abspath $$f) $(DATADIR)/;; esac; done
	@touch $@

# Each tools/train_X.c trains one model into $(DATADIR).  It is rerun only
# when its own source or the library sources it trains with change (listed
# in TRAIN_DEPS_X), not on every library change: training takes a while.
BASE_DEPS := src/mem.c src/err.c src/arena.c src/buf.c include/herald.h
TRAIN_DEPS_langid := src/langid.c src/langid_model.c src/langid_ft.cc \
	src/langid.h src/langid_ft.h $(FT_MODEL)
TRAIN_DEPS_ner := src/ner.c src/ner_conll.c src/ner.h src/segment.c src/segment.h
TRAIN_DEPS_dict := src/dict.c src/dict.h src/stem.c src/stem.h \
	$(wildcard /usr/share/dictd/freedict-*.index)

$(DATADIR)/.trained-%: tools/train_%.c $(BASE_DEPS) $$(TRAIN_DEPS_$$*) | $(BUILD)/tools/train_%
	@mkdir -p $(DATADIR)
	@if [ -f $(FT_MODEL) ]; then ln -sf $(abspath $(FT_MODEL)) $(DATADIR)/lid.176.ftz; fi
	@echo "  $(BUILD)/tools/train_$*"
	@$(BUILD)/tools/train_$* "$(SHARED)" "$(DATADIR)"
	@touch $@

$(BUILD)/tools/%: tools/%.c $(BUILD)/libherald.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libherald.a $(LDLIBS)

# ---- tests -------------------------------------------------------------

$(BUILD)/tests/%.o: tests/%.c tests/test.h $(wildcard src/*.h) include/herald.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/unit-runner: $(TEST_OBJ) $(BUILD)/libherald.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/fuzz-replay-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_main.c $(wildcard tests/fuzz/*.h) $(BUILD)/libherald.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes -o $@ $< tests/fuzz/fuzz_main.c $(BUILD)/libherald.a $(LDLIBS)

TEST_ENV := HERALD_DATA=$(DATADIR) UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 SHARED=$(SHARED)

check: all $(BUILD)/tests/unit-runner $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz-replay-%) $(BUILD)/herald
	@$(TEST_ENV) HERALD=$(abspath $(BUILD))/herald BUILD=$(BUILD) \
		FUZZ_TARGETS="$(FUZZ_TARGETS)" sh tests/check.sh

unit: $(BUILD)/tests/unit-runner data
	$(TEST_ENV) $(BUILD)/tests/unit-runner $(if $(FILTER),--filter $(FILTER))

asan:
	$(MAKE) SANITIZE=address,undefined check

# ---- fuzzing (clang) -----------------------------------------------------

FUZZ_BUILD := build-fuzz
FUZZ_JOBS ?= 2
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

# Fuzzing proper (not only the corpus replay of `make check`): a crash, a
# leak, a timeout or running out of memory fails, with the reproducer.
fuzz-run: fuzz data
	sh tests/fuzz/run.sh -t $(or $(FUZZ_SECONDS),60) -j $(FUZZ_JOBS) $(FUZZ_ONLY)
fuzz-long: fuzz data
	sh tests/fuzz/run.sh -t $(or $(FUZZ_SECONDS),1800) -j $(FUZZ_JOBS) $(FUZZ_ONLY)

$(FUZZ_BUILD)/libherald.a: $(LIB_C) $(LIB_CXX) $(wildcard src/*.h) include/herald.h
	@mkdir -p $(FUZZ_BUILD)/obj
	cd $(FUZZ_BUILD)/obj && for f in $(LIB_C:%=$(CURDIR)/%); do \
	  clang $(CPPFLAGS:-Iinclude=-I$(CURDIR)/include) -I$(CURDIR)/src -std=c11 -g -O1 \
	  -fsanitize=fuzzer-no-link,address,undefined -c $$f || exit 1; done; \
	for f in $(LIB_CXX:%=$(CURDIR)/%); do clang++ -I$(CURDIR)/include -I$(CURDIR)/src \
	  -std=c++17 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr \
	  -c $$f || exit 1; done
	ar rcs $@ $(FUZZ_BUILD)/obj/*.o

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_BUILD)/libherald.a
	clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-o $@ $< $(FUZZ_BUILD)/libherald.a $(LDLIBS)

# ---- benchmarks, lint --------------------------------------------------

# Benchmark helpers written in C (bench/X.c -> build/bench/X).
$(BUILD)/bench/%: bench/%.c $(BUILD)/libherald.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libherald.a $(LDLIBS)

bench: all $(BENCH_C:bench/%.c=$(BUILD)/bench/%)
	SHARED=$(SHARED) HERALD=$(abspath herald) HERALD_DATA=$(DATADIR) sh bench/run.sh

lint:
	cppcheck --enable=warning,performance,portability --inline-suppr --include=tools/cppcheck.h \
		--error-exitcode=1 -q -Iinclude -Isrc src cli
	sh tools/lint.sh

format:
	clang-format -i src/*.c src/*.h cli/*.c include/*.h

clean:
	rm -rf build build-san build-fuzz herald

# The language model's inner loop (75 byte lanes per n-gram) needs the
# vectoriser, which -O2 leaves off in GCC 12.
ifeq ($(SANITIZE),)
$(BUILD)/src/langid_model.o: CFLAGS += -O3
endif

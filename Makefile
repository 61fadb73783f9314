# cyanprobe: one non-recursive Makefile.  Sources are found by directory, so a
# new file in analyzers/, probe/ or firmware-agent/ needs no edit here:
#   analyzers/*.c, probe/*.c (but main.c), probe/qa/*.c,
#   firmware-agent/*.c                                        -> $(B)/libcyanprobe.a
#   probe/main.c + the library                                -> $(B)/cyanprobe
#   tests/unit/test_NAME.c + the library                      -> $(B)/tests/test_NAME
#   tests/fuzz/fuzz_NAME.c + tests/fuzz/replay.c              -> $(B)/asan/fuzz/fuzz_NAME
# The same objects are built again under $(B)/asan with ASan+UBSan for `check`.

.SUFFIXES:
.DELETE_ON_ERROR:

# B is the build folder; helpers working side by side use their own.
B	?= build
export B
PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
DATADIR	 = $(PREFIX)/share/cyanprobe
MANDIR	 = $(PREFIX)/share/man/man1
DOCDIR	 = $(PREFIX)/share/doc/cyanprobe
VERSION	 = 0.1.0

CC	?= cc
PKG_CONFIG ?= pkg-config
PKGS	 = libpcap libnl-3.0 libnl-genl-3.0 libnl-route-3.0 libcoap-3-openssl \
	   openssl libcjson libcurl yaml-0.1 sqlite3 libpq

# Library headers are system headers: our warnings are for our code.
PKG_CFLAGS := $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARN	 = -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wcast-qual -Wpointer-arith -Wformat=2 -Wundef
OPT	?= -O2 -g
CPPFLAGS_ALL = -D_GNU_SOURCE -DCYANPROBE_VERSION='"$(VERSION)"' \
	   -DCYANPROBE_DATADIR='"$(DATADIR)"' -Ianalyzers -Iprobe -Iprobe/qa -Ifirmware-agent
CFLAGS_ALL = -std=c11 $(WARN) $(OPT) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS)
SAN	 = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)

ANALYZER_SRC	:= $(wildcard analyzers/*.c)
PROBE_SRC	:= $(filter-out probe/main.c,$(wildcard probe/*.c)) \
		   $(wildcard probe/qa/*.c)
AGENT_SRC	:= $(wildcard firmware-agent/*.c)
LIB_SRC		:= $(ANALYZER_SRC) $(PROBE_SRC) $(AGENT_SRC)
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)
FUZZ_SRC	:= $(wildcard tests/fuzz/fuzz_*.c)
HELPER_SRC	:= $(wildcard tests/helpers/*.c)

LIB_OBJ		:= $(LIB_SRC:%.c=$(B)/%.o)
LIB_ASAN_OBJ	:= $(LIB_SRC:%.c=$(B)/asan/%.o)
UNIT_BIN	:= $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
UNIT_ASAN_BIN	:= $(UNIT_SRC:tests/unit/%.c=$(B)/asan/tests/%)
FUZZ_REPLAY	:= $(FUZZ_SRC:tests/fuzz/%.c=$(B)/asan/fuzz/%)
FUZZ_BIN	:= $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
HELPER_BIN	:= $(HELPER_SRC:tests/helpers/%.c=$(B)/helpers/%)

.PHONY: all deps run check test install uninstall clean bench fuzz firmware qa-demo \
	tests golden golden-update lab

all: $(B)/cyanprobe

# The data folder is compiled in (rules_load.c: CYANPROBE_DATADIR); a stamp
# holding it makes a change of PREFIX rebuild that object and relink.
DATADIR_STAMP := $(B)/datadir.stamp
$(shell mkdir -p $(B) && [ "$$(cat $(DATADIR_STAMP) 2>/dev/null)" = "$(DATADIR)" ] || \
    echo "$(DATADIR)" >$(DATADIR_STAMP))
$(B)/probe/rules_load.o $(B)/asan/probe/rules_load.o $(B)/fuzzobj/probe/rules_load.o: \
    $(DATADIR_STAMP)

# --- objects ---------------------------------------------------------------
$(B)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(B)/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	@$(CC) $(CFLAGS_ALL) $(SAN) -MMD -MP -c $< -o $@

$(B)/libcyanprobe.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/asan/libcyanprobe.a: $(LIB_ASAN_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/cyanprobe: $(B)/probe/main.o $(B)/libcyanprobe.a
	$(CC) $(OPT) -o $@ $^ $(LDLIBS_ALL)

$(B)/asan/cyanprobe: $(B)/asan/probe/main.o $(B)/asan/libcyanprobe.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS_ALL)

# --- tests -----------------------------------------------------------------
$(B)/tests/%: tests/unit/%.c tests/test.h $(B)/libcyanprobe.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests -MMD -MP -o $@ $< $(B)/libcyanprobe.a $(LDLIBS_ALL)

$(B)/asan/tests/%: tests/unit/%.c tests/test.h $(B)/asan/libcyanprobe.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN) -Itests -MMD -MP -o $@ $< $(B)/asan/libcyanprobe.a $(LDLIBS_ALL)

$(B)/asan/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(B)/asan/libcyanprobe.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(SAN) -Itests -o $@ $< tests/fuzz/replay.c $(B)/asan/libcyanprobe.a $(LDLIBS_ALL)

# Test helpers: lab servers and frame writers, built as plain programs.
$(B)/helpers/%: tests/helpers/%.c $(B)/libcyanprobe.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests -MMD -MP -o $@ $< $(B)/libcyanprobe.a $(LDLIBS_ALL)

tests: $(B)/cyanprobe $(B)/asan/cyanprobe $(UNIT_BIN) $(UNIT_ASAN_BIN) \
	$(FUZZ_REPLAY) $(HELPER_BIN)

# `check` is what README.md and .ci/run call: dependencies, build, every test.
# The build uses every core unless make was given -j itself (a sub-make's
# own -j would leave the caller's job server); tests/run.sh runs the suites
# that mostly wait beside the others.
NPROC	:= $(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC)) tests
	tests/run.sh

test: tests
	tests/run.sh

# Single suites, for working on one part.
golden: tests
	tests/golden/suite.sh

golden-update: $(B)/cyanprobe $(HELPER_BIN)
	tests/golden/update.sh
	tests/cli/update.sh

lab: tests
	tests/lab/suite.sh

# --- libFuzzer -------------------------------------------------------------
# The library is built once with coverage instrumentation, then linked into
# each target with libFuzzer's main.
FUZZ_SECONDS ?= 60
FUZZ_CC	?= clang
FUZZ_CFLAGS = -std=c11 -g -O1 -fsanitize=address,undefined $(CPPFLAGS_ALL) $(PKG_CFLAGS)
LIB_FUZZ_OBJ := $(LIB_SRC:%.c=$(B)/fuzzobj/%.o)

$(B)/fuzzobj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(B)/fuzzobj/libcyanprobe.a: $(LIB_FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/fuzz/%: tests/fuzz/%.c $(B)/fuzzobj/libcyanprobe.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Itests -o $@ $< \
	    $(B)/fuzzobj/libcyanprobe.a $(LDLIBS_ALL)

fuzz: $(FUZZ_BIN)
	tests/fuzz/run-libfuzzer.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# --- other jobs ------------------------------------------------------------
deps:
	@tools/deps.sh

# `run` and `bench` are first commands on a fresh machine too: install first.
run: deps
	@$(MAKE) -s --no-print-directory $(B)/cyanprobe $(HELPER_BIN)
	tests/lab/demo.sh

bench: deps
	@$(MAKE) -s --no-print-directory $(B)/cyanprobe $(HELPER_BIN)
	tests/bench/run.sh

# The router QA demo (docs/qa.md): the emulated routers, one plan.
qa-demo: deps
	@$(MAKE) -s --no-print-directory $(B)/cyanprobe $(HELPER_BIN)
	B=$(B) tests/qa/demo.sh

firmware:
	firmware-agent/build-firmware.sh

install: $(B)/cyanprobe
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)/rules \
	    $(DESTDIR)$(DOCDIR)
	install -m 0755 $(B)/cyanprobe $(DESTDIR)$(BINDIR)/cyanprobe
	install -m 0644 docs/cyanprobe.1 $(DESTDIR)$(MANDIR)/cyanprobe.1
	cp -R rules/. $(DESTDIR)$(DATADIR)/rules/
	install -m 0644 README.md $(filter-out docs/cyanprobe.1,$(wildcard docs/*)) \
	    $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/cyanprobe $(DESTDIR)$(MANDIR)/cyanprobe.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

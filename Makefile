# ward - build, test, fuzz, bench.
#
# Everything is found by wildcard, so adding a module, a stage, a test or a
# fuzz target needs no edit here:
#   common/*.c, common/*/*.c   -> $(BUILDDIR)/libward.a
#   stages/NAME/*.c            -> $(BINDIR)/ward-NAME  (main.c + libNAME.a)
#   tests/unit/common/test_*.c -> cmocka test linked with libward.a
#   tests/unit/NAME/test_*.c   -> cmocka test linked with libNAME.a + libward.a
#   tests/integration/*.sh     -> integration scripts (tests/lib.sh)
#   fuzz/fuzz_*.c              -> libFuzzer targets (clang)
#
# `make` prints one line per step; V=1 prints the commands. WERROR=1 (set by
# make check, check-future and CI) adds -Werror.
#
# SAN=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer into a
# separate tree (build/asan, bin/asan), so the two builds never mix.

SHELL := /bin/bash
.DEFAULT_GOAL := all

SAN ?=
ifeq ($(SAN),1)
BUILDDIR ?= build/asan
BINDIR ?= bin/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPTFLAGS := -O1 -g
else
BUILDDIR ?= build/release
BINDIR ?= bin
SANFLAGS :=
OPTFLAGS := -O2 -g -D_FORTIFY_SOURCE=2
endif

CC ?= cc
TEST_PKGS := cmocka
PKG_CONFIG ?= pkg-config

# Debian packages: libraries, and the real programs the tests drive.
DEB_BUILD := build-essential pkg-config clang libcurl4-openssl-dev libjson-c-dev \
	libpcap-dev librdkafka-dev libpcre2-dev libyaml-dev libnftables-dev zlib1g-dev \
	libcmocka-dev libclang-rt-14-dev libsystemd-dev
DEB_TEST := iproute2 nftables iptables ipset kcat tcpdump netcat-openbsd hping3 tshark python3-scapy \
	bsdutils procps psmisc curl python3 chromium bc faketime fail2ban docker.io busybox-static systemd-journal-remote \
	prometheus prometheus-alertmanager
DEB_PKGS := $(DEB_BUILD) $(DEB_TEST)
# Only for `make lab` (not make deps, so CI does not pay for them): the
# victim's services, the attackers' tools, and what the lab script runs.
DEB_LAB := openssh-server openssh-client nginx sshpass iproute2 nftables hping3 curl python3
# Only for `make lab-docker`: the engine, and what goes into the victim image.
DEB_LAB_DOCKER := docker.io busybox-static openssh-server openssh-client sshpass iptables iproute2 util-linux python3

# Libraries, by the program that links them. Every program is a stage: the
# core's event decoder (json-c) and the transports any stage can open by URI
# (curl for Loki and Alertmanager, rdkafka, zlib for Loki's gzip) are linked
# by all; <stage>_PKGS adds what that stage's own code (and the part of
# libward.a it pulls in: the LogQL engine, rule files) needs. A new stage
# needing only the core links without an edit here; a missing library shows
# as an undefined reference at link time.
STAGE_BASE_PKGS := json-c libcurl rdkafka zlib
ingest_PKGS := libpcre2-8 libsystemd
match_PKGS := libpcre2-8 yaml-0.1
window_PKGS := libpcre2-8 yaml-0.1
respond_PKGS := libnftables
sniff_PKGS := libpcap
# Everything: tests, tools and fuzz targets link all of it.
PKGS := $(STAGE_BASE_PKGS) libpcre2-8 yaml-0.1 libsystemd libnftables libpcap
have_pkgs := $(shell $(PKG_CONFIG) --exists $(PKGS) $(TEST_PKGS) 2>/dev/null && echo yes)

# common/ is the core; common/logql/ and common/transport/ its two libraries
INCLUDES := -I. -Icommon -Icommon/logql -Icommon/transport
# -Werror only where the compiler is ours: `make check` and CI set WERROR=1;
# a user's `make` with a newer compiler warns and still builds.
WERROR ?=
WARNFLAGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wvla
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE $(OPTFLAGS) $(WARNFLAGS) -fstack-protector-strong \
	-fPIE -pipe $(INCLUDES) $(SANFLAGS)
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
pkg_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
LDFLAGS_BASE := -pie -Wl,-z,relro,-z,now $(SANFLAGS)
SYS_LIBS := -lm -lpthread
LIBS = $(PKG_LIBS) $(SYS_LIBS)

# Quiet build: one line per step ("  CC  common/buf.c"); V=1 prints the
# commands instead. $(call say,CC,what) goes first on a recipe line.
V ?=
ifeq ($(V),1)
Q :=
say =
else
Q := @
say = printf '  %-4s%s\n' '$(1)' '$(2)';
endif

COMMON_SRC := $(sort $(wildcard common/*.c common/*/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILDDIR)/%.o)
LIBWARD := $(BUILDDIR)/libward.a

STAGES := $(sort $(notdir $(patsubst %/main.c,%,$(wildcard stages/*/main.c))))
PROGRAMS := $(STAGES:%=$(BINDIR)/ward-%)

UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILDDIR)/%)

FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZDIR := build/fuzz
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(FUZZDIR)/%)
FUZZ_SECONDS ?= 30
FUZZ_SEED ?= 0
FUZZ_RUNS ?=

PREFIX ?= /usr/local

.PHONY: all deps check-deps check check-future check-one test-one demo fuzz fuzz-smoke bench install clean lab lab-docker corpus-check conformance mutation coverage
all: check-deps $(PROGRAMS)

# ---- dependencies -------------------------------------------------------
check-deps:
ifneq ($(have_pkgs),yes)
	@echo "ward: missing libraries; installing Debian packages (make deps)" >&2
	@$(MAKE) --no-print-directory deps
endif

# The tests start their own fail2ban, Prometheus, Alertmanager and dockerd
# when they need them; installing the packages must not start (or enable
# the start of) the system's services, so a policy-rc.d refuses service
# starts for the length of the install unless the machine has one already.
deps:
	@if [ "$$(id -u)" != 0 ]; then \
		echo "ward: make deps: need root to apt-get install: $(DEB_PKGS)" >&2; exit 69; fi
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "ward: installing:" $$missing >&2; \
		rc_guard=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
			printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && rc_guard=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; rc=$$?; \
		[ -n "$$rc_guard" ] && rm -f /usr/sbin/policy-rc.d; exit $$rc; \
	fi

# ---- build --------------------------------------------------------------
# Compile flags are recorded in $(FLAGS_STAMP), which every compiled file
# depends on, so changing CC, CFLAGS or SAN recompiles. -Werror is not in
# the record, because an object built with it is good for a build without
# it; but every compile without it leaves $(LAX_MARK), and a WERROR=1 build
# that finds the mark recompiles everything, so `make check` never reuses an
# object whose warnings were let through.
CC_FLAGS = $(CFLAGS_BASE) $(PKG_CFLAGS) $(CFLAGS)
WERRORFLAG = $(if $(filter 1,$(WERROR)),-Werror)
FLAGS_STAMP := $(BUILDDIR)/.cflags
LAX_MARK := $(BUILDDIR)/.cflags-lax
lax = $(if $(WERRORFLAG),,touch $(LAX_MARK);)
shquote = '$(subst ','\'',$(1))'
.PHONY: FORCE
$(FLAGS_STAMP): FORCE
	@mkdir -p $(@D); flags=$(call shquote,$(CC) $(CC_FLAGS)); \
	if [ "$$flags" != "$$(cat $@ 2>/dev/null)" ] || { [ -n '$(WERRORFLAG)' ] && [ -e $(LAX_MARK) ]; }; then \
		printf '%s\n' "$$flags" >$@; rm -f $(LAX_MARK); fi

$(BUILDDIR)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(call say,CC,$<)$(lax)$(CC) $(CC_FLAGS) $(WERRORFLAG) -MMD -MP -c $< -o $@

$(LIBWARD): $(COMMON_OBJ)
	@mkdir -p $(@D)
	$(Q)$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

# One static library per stage from its non-main modules, so unit tests and
# fuzzers link the processing code without main(). The program links its
# own libraries only (<stage>_PKGS above).
define stage_rules
$(1)_SRC := $$(filter-out stages/$(1)/main.c,$$(sort $$(wildcard stages/$(1)/*.c)))
$(1)_OBJ := $$($(1)_SRC:%.c=$$(BUILDDIR)/%.o)
$$(BUILDDIR)/stages/$(1)/lib$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	$$(Q)$$(call say,AR,$$@)rm -f $$@ && ar rcs $$@ $$^ $$(if $$^,,&& ar rcs $$@)
$$(BINDIR)/ward-$(1): $$(BUILDDIR)/stages/$(1)/main.o $$(BUILDDIR)/stages/$(1)/lib$(1).a $$(LIBWARD)
	@mkdir -p $$(@D)
	$$(Q)$$(call say,LD,$$@)$$(CC) $$(LDFLAGS_BASE) $$(LDFLAGS) -o $$@ $$^ \
		$$(call pkg_libs,$$(STAGE_BASE_PKGS) $$($(1)_PKGS)) $$(SYS_LIBS)
endef
$(foreach s,$(STAGES),$(eval $(call stage_rules,$(s))))

# Unit tests: tests/unit/common/* link libward; tests/unit/NAME/* also libNAME.
$(BUILDDIR)/tests/unit/%: tests/unit/%.c $(FLAGS_STAMP) $(LIBWARD) $(foreach s,$(STAGES),$(BUILDDIR)/stages/$(s)/lib$(s).a)
	@mkdir -p $(@D)
	$(Q)$(call say,LD,$@)$(lax)$(CC) $(CC_FLAGS) $(WERRORFLAG) $(CMOCKA_CFLAGS) -Wno-missing-prototypes -MMD -MP \
		$(LDFLAGS_BASE) -o $@ $< \
		$(if $(filter common,$(firstword $(subst /, ,$*))),,$(BUILDDIR)/stages/$(firstword $(subst /, ,$*))/lib$(firstword $(subst /, ,$*)).a) \
		$(LIBWARD) $(CMOCKA_LIBS) $(LIBS)

# Test tools (servers, mock brokers, generators): tests/tools/NAME.c ->
# $(BUILDDIR)/tests/tools/NAME, linked with libward.
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:%.c=$(BUILDDIR)/%)
$(BUILDDIR)/tests/tools/%: tests/tools/%.c $(FLAGS_STAMP) $(LIBWARD)
	@mkdir -p $(@D)
	$(Q)$(call say,LD,$@)$(lax)$(CC) $(CC_FLAGS) $(WERRORFLAG) -Wno-missing-prototypes -MMD -MP \
		$(LDFLAGS_BASE) -o $@ $< $(LIBWARD) $(LIBS)

# Fuzz corpus replay (part of check): each fuzz/fuzz_NAME.c linked with
# tests/fuzz_replay.c by the normal compiler into $(BUILDDIR)/fuzz/fuzz_NAME,
# which tests/run.sh runs over fuzz/corpus/fuzz_NAME.
REPLAY_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILDDIR)/fuzz/%)
STAGE_LIBS = $(foreach s,$(STAGES),$(BUILDDIR)/stages/$(s)/lib$(s).a)
$(BUILDDIR)/fuzz/%: fuzz/%.c tests/fuzz_replay.c $(FLAGS_STAMP) $(LIBWARD) $(foreach s,$(STAGES),$(BUILDDIR)/stages/$(s)/lib$(s).a)
	@mkdir -p $(@D)
	$(Q)$(call say,LD,$@)$(lax)$(CC) $(CC_FLAGS) $(WERRORFLAG) -Wno-missing-prototypes -MMD -MP \
		$(LDFLAGS_BASE) -o $@ $< tests/fuzz_replay.c \
		-Wl,--start-group $(STAGE_LIBS) $(LIBWARD) -Wl,--end-group $(LIBS)

-include $(shell find $(BUILDDIR) -name '*.d' 2>/dev/null)

# ---- tests --------------------------------------------------------------
# check: the whole suite on the normal build, then on the sanitizer build;
# one summary line for both.
check: check-deps
	@rm -f build/results.txt
	@$(MAKE) --no-print-directory test-one WERROR=1
	@$(MAKE) --no-print-directory test-one SAN=1 WERROR=1
	@tests/summary.sh build/results.txt

# check-future: the release suite with the clock a year ahead (libfaketime),
# so no test depends on the day it runs (CI runs it after check). File
# times stay true (NO_FAKE_STAT), as they would be on that day.
check-future: check-deps
	@$(MAKE) --no-print-directory WERROR=1 $(PROGRAMS) $(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN)
	@rm -f build/results-future.txt
	@WARD_RESULTS=build/results-future.txt WARD_TAG=future WARD_FUTURE=1 NO_FAKE_STAT=1 WARD_BIN=$(abspath $(BINDIR)) \
		WARD_BUILD=$(abspath $(BUILDDIR)) faketime -f '+365d' tests/run.sh $(UNIT_BIN)
	@tests/summary.sh build/results-future.txt

test-one: $(PROGRAMS) $(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN)
	@WARD_BIN=$(abspath $(BINDIR)) WARD_BUILD=$(abspath $(BUILDDIR)) WARD_SAN=$(SAN) \
		tests/run.sh $(UNIT_BIN)

# ---- mutation campaign (slow; not part of check) ---------------------------
# tests/mutation/run.py applies each site of tests/mutation/sites.txt to a
# private copy of the tree (build/mutation/tree), rebuilds it incrementally
# and runs the tests tests/mutation/map.txt lists for the file; results in
# build/mutation/{results.txt,table.md}. MUTATION_ONLY=common/ipaddr.c
# limits the run to one file's sites. See docs/testing.md.
MUTATION_ONLY ?=
mutation: check-deps
	@python3 tests/mutation/run.py $(if $(MUTATION_ONLY),--only $(MUTATION_ONLY))

# ---- coverage (gcov + lcov; not part of check) ------------------------------
# The release suite (units, fuzz corpus replays, integration scripts) on a
# --coverage build in its own tree (build/coverage), then an HTML report in
# build/coverage/html and the per-module table of docs/testing.md
# (tests/coverage_table.py). Needs Debian's lcov, installed here only.
COV_DIR := build/coverage
coverage: check-deps
	@command -v lcov >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq lcov >/dev/null; } || \
		{ echo "ward: make coverage needs lcov (apt-get install lcov)" >&2; exit 69; }
	@find $(COV_DIR) -name '*.gcda' -delete 2>/dev/null || true
	@$(MAKE) --no-print-directory BUILDDIR=$(COV_DIR) BINDIR=$(COV_DIR)/bin \
		CFLAGS="--coverage -O0 -U_FORTIFY_SOURCE -DWARD_COVERAGE" LDFLAGS="--coverage" \
		$(patsubst $(BINDIR)/%,$(COV_DIR)/bin/%,$(PROGRAMS)) \
		$(patsubst $(BUILDDIR)/%,$(COV_DIR)/%,$(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN))
	@rm -f $(COV_DIR)/results.txt
	@WARD_RESULTS=$(COV_DIR)/results.txt WARD_TAG=coverage WARD_BIN=$(abspath $(COV_DIR)/bin) \
		WARD_BUILD=$(abspath $(COV_DIR)) tests/run.sh $(patsubst $(BUILDDIR)/%,$(COV_DIR)/%,$(UNIT_BIN)) >/dev/null
	@tests/summary.sh $(COV_DIR)/results.txt || true
	@lcov --quiet --capture --rc lcov_branch_coverage=1 --directory $(COV_DIR) \
		--output-file $(COV_DIR)/all.info >/dev/null 2>&1
	@lcov --quiet --rc lcov_branch_coverage=1 --extract $(COV_DIR)/all.info '$(CURDIR)/common/*' \
		'$(CURDIR)/stages/*' --output-file $(COV_DIR)/lcov.info >/dev/null 2>&1
	@genhtml --quiet --branch-coverage --output-directory $(COV_DIR)/html $(COV_DIR)/lcov.info >/dev/null 2>&1
	@python3 tests/coverage_table.py $(COV_DIR)/lcov.info docs/testing.md
	@echo "ward: coverage report in $(COV_DIR)/html/index.html; table in docs/testing.md"

# ---- fuzzing (clang libFuzzer) --------------------------------------------
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -O1 -g $(INCLUDES) -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined
# Library code is compiled once with -fsanitize=fuzzer-no-link into one
# archive; each target links what it uses from it.
FUZZ_LIB_SRC := $(COMMON_SRC) $(foreach s,$(STAGES),$($(s)_SRC))
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZDIR)/obj/%.o)
FUZZ_LIB := $(FUZZDIR)/libfuzzward.a
$(FUZZDIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(call say,CC,$<)clang $(subst fuzzer,fuzzer-no-link,$(FUZZ_CFLAGS)) $(PKG_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_LIB): $(FUZZ_LIB_OBJ)
	$(Q)$(call say,AR,$@)rm -f $@ && ar rcs $@ $^
$(FUZZDIR)/%: fuzz/%.c $(FUZZ_LIB)
	$(Q)$(call say,LD,$@)clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -I. -o $@ $< $(FUZZ_LIB) $(LIBS)
-include $(shell find $(FUZZDIR) -name '*.d' 2>/dev/null)

fuzz: check-deps $(FUZZ_BIN)

fuzz-smoke: fuzz
	@FUZZ_SEED=$(FUZZ_SEED) FUZZ_RUNS=$(FUZZ_RUNS) fuzz/smoke.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# ---- ward-sniff over the shared pcap corpus (when the folder exists) -------
# The sanitizer build must not crash, hang or report on any of the captures.
CORPUS_PCAP ?= ../shared/corpus/pcap
corpus-check: check-deps
	@$(MAKE) --no-print-directory SAN=1 bin/asan/ward-sniff
	@tests/sniff_corpus.sh $(CORPUS_PCAP) bin/asan/ward-sniff

# ---- detection on logs others wrote (reads ../shared; not part of check) --
# tests/conformance/*.py: the CrowdSec hub scenario tests through the chain
# ingest | match --rules rules | window --rules rules, and the other real-log
# checkers beside it; each prints its report and its target.
conformance: all
	@tests/conformance/run.sh

# ---- the rest -------------------------------------------------------------
demo: all
	@pipelines/demo.sh

# The SOC workshop live in network namespaces (docs/lab.md). Root only; not
# part of check.
lab: all
	@if [ "$$(id -u)" != 0 ]; then \
		echo "ward: make lab needs root (network namespaces, nftables, sshd, nginx): run sudo make lab" >&2; exit 77; fi
	@missing=$$(for p in $(DEB_LAB); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "ward: installing for the lab:" $$missing >&2; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 69; \
	fi
	@pipelines/lab.sh

# The workshop's Module 5 with a real Docker Engine: the attacker banned by
# iptables inside the victim container (docs/lab.md). Root only; not part of
# check.
lab-docker: all
	@if [ "$$(id -u)" != 0 ]; then \
		echo "ward: make lab-docker needs root (dockerd, network namespaces): run sudo make lab-docker" >&2; exit 77; fi
	@missing=$$(for p in $(DEB_LAB_DOCKER); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "ward: installing for the docker lab:" $$missing >&2; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 69; \
	fi
	@pipelines/lab-docker.sh

bench: all
	@bench/run.sh

# install: programs, man pages, rule packs, pipelines (their ward.conf finds
# the rules and samples through ${PIPELINE_DIR}; the one in $(SYSCONFDIR)
# names them by absolute path), the systemd unit, and
# $(SYSCONFDIR)/ward/pipelines/ for the unit's pipelines (existing files
# there are kept). DESTDIR stages the whole tree (tests/integration/install.sh).
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
SHAREDIR = $(PREFIX)/share/ward
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(SHAREDIR)/rules $(DESTDIR)$(SHAREDIR)/pipelines/samples \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/ward/pipelines
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard docs/man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(wildcard rules/*.yaml) $(DESTDIR)$(SHAREDIR)/rules/
	install -m 644 $(wildcard pipelines/*.pipeline) $(DESTDIR)$(SHAREDIR)/pipelines/
	install -m 644 $(filter-out %.py,$(wildcard pipelines/samples/*)) $(DESTDIR)$(SHAREDIR)/pipelines/samples/
	sed -e 's|^OUT=.*|OUT=.|' pipelines/ward.conf >$(DESTDIR)$(SHAREDIR)/pipelines/ward.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/ward/pipelines/ward.conf ] || \
		sed -e 's|^SAMPLES=.*|SAMPLES=$(SHAREDIR)/pipelines/samples|' -e 's|^RULES=.*|RULES=$(SHAREDIR)/rules|' \
		-e 's|^OUT=.*|OUT=/var/lib/ward|' pipelines/ward.conf >$(DESTDIR)$(SYSCONFDIR)/ward/pipelines/ward.conf
	sed 's|@BINDIR@|$(PREFIX)/bin|g' packaging/systemd/ward-run@.service.in \
		>$(DESTDIR)$(UNITDIR)/ward-run@.service
	chmod 644 $(DESTDIR)$(UNITDIR)/ward-run@.service

clean:
	rm -rf build bin

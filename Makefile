# servsim: one flat Makefile.
#   make            build ./servsim
#   make check      build and run every test (installs Debian packages as root)
#   make demo       run the flagship comparison, draw its plots, write its report
#   make bench      run the benchmarks
#   make SANITIZE=1 check   the same under address + undefined sanitizers
#   CC=clang make SANITIZE=undefined check   under clang's undefined-behaviour sanitizer
#   make clean

CC       ?= cc
OPT      ?= -O3 -g
SANITIZE ?= 0
WERROR   ?= 0
DEPS     ?= 1
# link-time optimisation: lets the compiler inline small functions across
# files, such as the event queue's pop into the kernel loop
# (docs/performance.md, sixth round); not in the sanitizer build
LTO      ?= -flto=auto

WARN  = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wformat=2
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKGS     = gsl inih
# SERVSIM_DATADIR: where plots/ and scenarios/ are when neither the
# environment nor the executable's own folder says (a build/ binary)
# servsim's flags are added to CPPFLAGS, CFLAGS and LDFLAGS as given in the
# environment or on the command line (a packager's hardening flags), after
# them so that they win where they clash
override CPPFLAGS += -D_XOPEN_SOURCE=700 -Isim -Imodels -Ilib -Icli -DSERVSIM_BUILDING -DSERVSIM_DATADIR='"$(CURDIR)"'
override CFLAGS   += $(OPT) $(WARN) -MMD -MP -pthread
LDLIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lgsl -lgslcblas -linih) -lcsv -lm -pthread
TEST_LDLIBS = -lcunit

# make install [PREFIX=/usr/local] [DESTDIR=]: an installed build knows
# its data as $(PREFIX)/share/servsim (and finds it from its own folder as
# ../share/servsim, so a DESTDIR or a moved prefix works too); no path of
# the build folder is in it.
PREFIX  ?= /usr/local
DATADIR  = $(PREFIX)/share/servsim
INSTALL_BUILD ?= 0

MPI ?= 0
ifeq ($(INSTALL_BUILD),1)
override CPPFLAGS := $(filter-out -DSERVSIM_DATADIR=%,$(CPPFLAGS)) -DSERVSIM_DATADIR='"$(DATADIR)"'
override CFLAGS += $(LTO) -ffile-prefix-map=$(CURDIR)=.
BUILD     = build/install
BIN       = $(BUILD)/servsim
else ifeq ($(MPI),1)
CC        = mpicc
override CPPFLAGS += -DSERVSIM_MPI
override CFLAGS += $(LTO)
BUILD     = build/mpi
BIN       = $(BUILD)/servsim
else ifneq ($(filter 1 undefined,$(SANITIZE)),)
# SANITIZE=1: address + undefined; SANITIZE=undefined: undefined only (what
# CI runs with clang, whose UBSan finds what gcc's does not, such as an
# offset added to a NULL pointer). Each compiler builds in its own folder.
comma  := ,
SAN     = $(if $(filter 1,$(SANITIZE)),address$(comma)undefined,undefined)
BUILD   = build/san$(if $(filter undefined,$(SANITIZE)),-ub)$(if $(findstring clang,$(CC)),-clang)
override CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
override LDFLAGS += -fsanitize=$(SAN)
BIN     = $(BUILD)/servsim
else
BUILD   = build/opt
BIN     = servsim
override CFLAGS += $(LTO)
endif

# Objects depend on the flags they were built with ($(BUILD)/flags, rewritten
# when the compiler or its flags change), so that a tree built before a
# change of OPT, LTO, WERROR or CC is rebuilt, not kept as it was.
FLAGS_NOW := $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
ifneq ($(FLAGS_NOW),$(file <$(BUILD)/flags))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/flags,$(FLAGS_NOW))
endif

SIM_SRC   = $(wildcard sim/*.c)
MODEL_SRC = $(wildcard models/*.c)
API_SRC   = $(wildcard lib/*.c)
CLI_SRC   = $(filter-out cli/main.c,$(wildcard cli/*.c))
TEST_SRC  = $(wildcard tests/*.c)

# the command line is libservsim's objects (the kernel, the models and the
# API) and cli/; the shared library is the same code compiled to be
# position-independent, exporting servsim.h's functions only
LIB_OBJ  = $(patsubst %.c,$(BUILD)/%.o,$(SIM_SRC) $(MODEL_SRC) $(API_SRC) $(CLI_SRC))
PIC_OBJ  = $(patsubst %.c,$(BUILD)/pic/%.o,$(SIM_SRC) $(MODEL_SRC) $(API_SRC))
SONAME   = libservsim.so.0
SHLIB    = $(BUILD)/libservsim.so.$(VERSION)
VERSION := $(shell sed -n 's/^\#define SERVSIM_VERSION "\(.*\)"/\1/p' lib/servsim.h)
MAIN_OBJ = $(BUILD)/cli/main.o
TEST_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(TEST_SRC))
TEST_BIN = $(BUILD)/servsim-tests

.PHONY: all deps check unit cli-tests bench demo plots golden clean install uninstall lib deb deb-check

all: $(BIN)

# libservsim: the shared library, its name links and an uninstalled
# pkg-config file (build/*/servsim-uninstalled.pc) for programs built
# against this tree
lib: $(BUILD)/libservsim.so $(BUILD)/servsim-uninstalled.pc

deps:
ifeq ($(DEPS),1)
ifeq ($(MPI),1)
	@sh tools/deps.sh mpi
else
	@sh tools/deps.sh build
endif
endif

$(BIN): $(LIB_OBJ) $(MAIN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(TEST_BIN): $(LIB_OBJ) $(TEST_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LDLIBS)

$(SHLIB): $(PIC_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS)

$(BUILD)/libservsim.so: $(SHLIB)
	ln -sf libservsim.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(BUILD)/pic/%.o: %.c $(BUILD)/flags | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(BUILD)/servsim-uninstalled.pc: tools/servsim.pc.in Makefile
	sed -e 's|@PREFIX@|$(CURDIR)|; s|@LIBDIR@|$(CURDIR)/$(BUILD)|; s|@INCLUDEDIR@|$(CURDIR)/lib|' \
	    -e 's|@VERSION@|$(VERSION)|' $< >$@

$(BUILD)/flags:   # removed after the Makefile was read (make clean all)
	$(shell mkdir -p $(BUILD))$(file >$@,$(FLAGS_NOW))

$(BUILD)/%.o: %.c $(BUILD)/flags | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# the kernel benchmark's yardstick: a lean hand-written M/M/1 loop
$(BUILD)/lean-mm1: tools/lean-mm1.c $(BUILD)/flags | deps
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

check: $(BIN) $(TEST_BIN) $(if $(filter 0,$(CHECK_OTHERS)),,lib)
	@# gnuplot, Graphviz and chromium first: the command line's tests draw
	@# plots too (as root they are installed, else the command is printed
	@# and the report's browser test skipped, except in CI)
ifeq ($(DEPS),1)
	@if [ "$(CHECK_OTHERS)" != 0 ]; then sh tools/deps.sh browser || echo "(the report's browser test will be skipped)"; fi
endif
	./$(TEST_BIN) tests/data
	sh tests/cli.sh ./$(BIN)
	sh tests/man.sh ./$(BIN)
	bash tests/completion.sh
	sh tests/golden.sh ./$(BIN)
	@# the report (its browser test in the plain build only)
	sh tests/report.sh ./$(BIN) $(if $(filter 0,$(CHECK_OTHERS)),0,1)
	@# CHECK_OTHERS=0 (CI's sanitizer steps) leaves out the checks of the
	@# other builds, the installed one and MPI's, which the first step ran
	@if [ "$(CHECK_OTHERS)" != 0 ]; then sh tests/library.sh ./$(BIN) $(BUILD); fi
	@if [ "$(CHECK_OTHERS)" != 0 ]; then sh tests/install.sh; fi
	@# an MPI build made earlier is brought up to date, not tested stale
	@if [ "$(CHECK_OTHERS)" != 0 ] && [ "$(MPI)" != 1 ] && [ -x build/mpi/servsim ]; then $(MAKE) --no-print-directory MPI=1 build/mpi/servsim; fi
	@if [ "$(CHECK_OTHERS)" != 0 ]; then sh tests/mpi.sh ./$(BIN); fi

# Rewrite the golden outputs after a deliberate change; review the diff.
golden: $(BIN)
	GOLDEN_UPDATE=1 sh tests/golden.sh ./$(BIN)
	@git diff --stat -- tests/golden 2>/dev/null || true

# The kernel (M/M/1), then the city-scale scenario (tools/bench-city.sh),
# then both counted in instructions under callgrind, which unlike the
# times do not vary with the machine's load (tools/bench-instructions.sh),
# then the city-scale slice against 0.3.2 built from this checkout's
# history, in simultaneous pairs (tools/bench-pair.sh; REF=commit for
# another).
bench: $(BIN) $(BUILD)/lean-mm1
	./$(BIN) bench
	sh tools/bench-kernel.sh ./$(BIN) $(BUILD)/lean-mm1
	sh tools/bench-city.sh ./$(BIN) build/bench
	sh tools/bench-instructions.sh ./$(BIN) build/bench
	sh tools/bench-pair.sh ./$(BIN) build/bench-pair $(REF)

# The flagship comparison: the front/back split against the integrated
# locality team, on the same claims.
demo: $(BIN)
ifeq ($(DEPS),1)
	@sh tools/deps.sh report
endif
	./$(BIN) run scenarios/housing-benefit.ini -o results/housing-benefit --report

# Redraw the plots of existing results: make plots DIR=results/housing-benefit
plots:
	@test -f "$(DIR)/weekly.csv" || { echo "make plots: no $(DIR)/weekly.csv (give DIR=a results directory of a service scenario)"; exit 2; }
	@designs=$$(tail -n +2 "$(DIR)/summary.csv" | cut -d, -f1 | uniq | tr '\n' ' '); \
	for p in demand delay cost; do for f in png svg; do \
	    gnuplot -e "plotdir='plots'; dir='$(DIR)'; designs='$$designs'; out='$$f'" plots/$$p.gp || exit 1; \
	done; done; echo "plots redrawn in $(DIR)"

clean:
	rm -rf build servsim

# ---- install ----
#   make install [PREFIX=/usr/local] [DESTDIR=/tmp/stage]
#   make uninstall (the same PREFIX and DESTDIR)
# The manual pages (docs/man/, checked by tests/man.sh) are installed with
# the paths in them under PREFIX; the bash completion where the
# bash-completion package looks for it.
DOCS = README.md LICENSE $(wildcard docs/*.md)
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MANPAGES     = docs/man/servsim.1 docs/man/servsim-scenario.5
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
PYTHONDIR   ?= $(PREFIX)/lib/python3/dist-packages
EXAMPLES     = docs/examples/table.c docs/examples/flagship.py
install:
	$(MAKE) --no-print-directory INSTALL_BUILD=1 PREFIX=$(PREFIX) build/install/servsim \
	    build/install/libservsim.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/plots \
	    $(DESTDIR)$(DATADIR)/scenarios/validation $(DESTDIR)$(PREFIX)/share/doc/servsim/examples \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) build/install/man \
	    $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PYTHONDIR)/servsim
	install -m 644 build/install/libservsim.so.$(VERSION) $(DESTDIR)$(LIBDIR)
	ln -sf libservsim.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libservsim.so
	install -m 644 lib/servsim.h $(DESTDIR)$(INCLUDEDIR)/servsim.h
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' tools/servsim.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/servsim.pc
	install -m 644 python/servsim/__init__.py $(DESTDIR)$(PYTHONDIR)/servsim/__init__.py
	printf '# written by make install: where libservsim is\nLIBRARY = %s\n' \
	    "'$(LIBDIR)/$(SONAME)'" >$(DESTDIR)$(PYTHONDIR)/servsim/_where.py
	install -m 644 $(EXAMPLES) $(DESTDIR)$(PREFIX)/share/doc/servsim/examples
	install -m 755 build/install/servsim $(DESTDIR)$(PREFIX)/bin/servsim
	install -m 644 plots/*.gp $(DESTDIR)$(DATADIR)/plots
	install -m 644 scenarios/*.ini $(DESTDIR)$(DATADIR)/scenarios
	install -m 644 scenarios/validation/*.ini $(DESTDIR)$(DATADIR)/scenarios/validation
	install -m 644 $(DOCS) $(DESTDIR)$(PREFIX)/share/doc/servsim
	for m in $(MANPAGES); do \
	    sed 's|/usr/local/|$(PREFIX)/|g' $$m >build/install/man/$${m##*/} || exit 1; \
	done
	install -m 644 build/install/man/servsim.1 $(DESTDIR)$(MANDIR)/man1/servsim.1
	install -m 644 build/install/man/servsim-scenario.5 $(DESTDIR)$(MANDIR)/man5/servsim-scenario.5
	install -m 644 tools/completion/servsim.bash $(DESTDIR)$(BASHCOMPDIR)/servsim

# The Debian packages (servsim, libservsim0, libservsim-dev,
# python3-servsim) in the folder above: make deb. make deb-check builds
# them in a copy of the tree and tests them (tests/deb.sh; CI runs it).
deb:
ifeq ($(DEPS),1)
	@sh tools/deps.sh deb
endif
	dpkg-buildpackage -us -uc -b

deb-check:
ifeq ($(DEPS),1)
	@sh tools/deps.sh deb
endif
	sh tests/deb.sh

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/servsim $(DESTDIR)$(MANDIR)/man1/servsim.1 \
	    $(DESTDIR)$(MANDIR)/man5/servsim-scenario.5 $(DESTDIR)$(BASHCOMPDIR)/servsim
	rm -f $(DESTDIR)$(LIBDIR)/libservsim.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/libservsim.so $(DESTDIR)$(INCLUDEDIR)/servsim.h \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/servsim.pc
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/doc/servsim $(DESTDIR)$(PYTHONDIR)/servsim

-include $(shell find build -name '*.d' 2>/dev/null)


# ---- reliability: fuzzing, valgrind, failure injection ----
#   make fuzz [FUZZ_SECONDS=60]  libFuzzer on the scenario loader, the CSV reader
#                                and the whole pipeline (load, run, writers, checkpoint)
#   make fuzz-replay             every saved crash input, once (regressions)
#   make memcheck                unit tests and commands under valgrind
#   make faults                  fail each allocation in turn (ASan build)
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build/fuzz
FUZZ_CFLAGS   = -g -O1 -fno-omit-frame-pointer -std=c11 \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_HARNESS  = config csv pipeline
FUZZ_BINS     = $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_HARNESS))

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(SIM_SRC) $(MODEL_SRC) $(wildcard sim/*.h models/*.h)
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS) -o $@ $< $(SIM_SRC) $(MODEL_SRC) $(LDLIBS)

fuzz: $(FUZZ_BINS)
	@for h in $(FUZZ_HARNESS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus-$$h; \
	    echo "fuzz_$$h: $(FUZZ_SECONDS) s"; \
	    $(FUZZ_BUILD)/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	        -dict=tests/fuzz/ini.dict -artifact_prefix=tests/fuzz/regressions/$$h- \
	        $(FUZZ_BUILD)/corpus-$$h tests/fuzz/corpus/$$h 2>$(FUZZ_BUILD)/$$h.log \
	    || { tail -n 40 $(FUZZ_BUILD)/$$h.log; exit 1; }; \
	    grep -h 'stat::number_of_executed_units' $(FUZZ_BUILD)/$$h.log; \
	done

fuzz-replay: $(FUZZ_BINS)
	@for h in $(FUZZ_HARNESS); do \
	    set -- tests/fuzz/regressions/$$h-*; [ -e "$$1" ] || continue; \
	    $(FUZZ_BUILD)/fuzz_$$h "$$@" || exit 1; \
	done

memcheck:
ifeq ($(DEPS),1)
	@sh tools/deps.sh valgrind
endif
	$(MAKE) SANITIZE=0 servsim build/opt/servsim-tests
	sh tests/memcheck.sh ./servsim build/opt/servsim-tests

# Two halves of the cases side by side (each N is a process of its own, so
# the step is as long as its slowest half), the exit the worse of the two.
FAULTS_A = run_service check check_bad check_csv check_key check_syntax run_phones
FAULTS_B = check_service run_queues run_wide run run_risk report
faults:
	$(MAKE) SANITIZE=1 build/san/servsim
	@FAULTS_CASES="$(FAULTS_A)" sh tests/faults.sh build/san/servsim & a=$$!; \
	FAULTS_CASES="$(FAULTS_B)" sh tests/faults.sh build/san/servsim; b=$$?; \
	wait $$a && [ $$b -eq 0 ]

.PHONY: fuzz fuzz-replay memcheck faults

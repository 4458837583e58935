# ukcov — kcov for user-space kernels.
#   make          build build/bin/ukcov, build/lib/libukcov.{a,so}, tests and examples
#   make check    build and run every test; last line: "N passed, N failed"
#   make demo     build and run an example kcov client under `ukcov run`
#   make bench    benchmarks (ratios against a baseline measured in the same run)
#   make check-kernels  the suites inside Debian's kernels (6.1, 6.12) booted in QEMU
# V=1 shows the commands.

CC       ?= clang
ifeq ($(origin CC),default)
CC       := clang
endif
CLANG    ?= clang
GCC      ?= gcc
B        := build
Q        := $(if $(V),,@)
COV      := -fsanitize-coverage=inline-bool-flag,pc-table
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g -gdwarf-4
BASEFLAGS := -std=gnu11 $(WARN) -Iinclude -MMD -MP -D_GNU_SOURCE=
LIBFLAGS := $(BASEFLAGS) -fPIC -fvisibility=hidden
LDLIBS   := -lpthread -ldw -lelf

LIB_SRCS    := $(wildcard lib/*.c)
ENTRY_SRCS  := $(wildcard kernel/entry/*.c)
KERNEL_SRCS := $(wildcard kernel/*.c kernel/fs/*.c kernel/fs/*/*.c)
CLI_SRCS    := $(wildcard cli/*.c)
include kernel/fs/tmpfs/tmpfs.mk tests/tmpfs/tmpfs.mk

LIB_OBJS    := $(LIB_SRCS:%.c=$(B)/obj/%.o)
ENTRY_OBJS  := $(ENTRY_SRCS:%.c=$(B)/obj/%.o)
KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(B)/obj/%.o)
CLI_OBJS    := $(CLI_SRCS:%.c=$(B)/obj/%.o)

UNIT_SRCS   := $(filter-out tests/unit/unit_tmpfs.c,$(wildcard tests/unit/unit_*.c))
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
CONF_SRCS   := $(wildcard tests/conformance/*.c)
CONF_BINS   := $(CONF_SRCS:tests/conformance/%.c=$(B)/tests/conformance/%)
HOSTILE_SRCS := $(wildcard tests/hostile/*.c)
HOSTILE_BINS := $(HOSTILE_SRCS:tests/hostile/%.c=$(B)/tests/hostile/%)
EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLE_BINS := $(EXAMPLE_SRCS:examples/%.c=$(B)/examples/%)
BENCH_BINS  := $(B)/bench/roundtrip $(B)/bench/flush $(B)/bench/tmpfs_ops

UKCOV := $(B)/bin/ukcov

all: $(UKCOV) $(B)/lib/libukcov.a $(B)/lib/libukcov.so tests examples
TMPFS_TEST_BINS := $(B)/tests/unit_tmpfs $(B)/tests/tmpfs/fsscript $(B)/tests/tmpfs/kcov_paths \
	$(B)/tests/tmpfs/kcov_release $(B)/tests/tmpfs/proc_guard $(B)/tests/tmpfs/fsctx_reap
tests: $(UNIT_BINS) $(CONF_BINS) $(HOSTILE_BINS) $(TMPFS_TEST_BINS)
examples: $(EXAMPLE_BINS)

# Missing Debian packages are installed when we run as root, else named exactly.
$(B)/.deps-ok: scripts/deps.sh
	$(Q)sh scripts/deps.sh
	$(Q)mkdir -p $(B) && touch $@

# libukcov: never instrumented (it is kcov.c's counterpart).
$(B)/obj/lib/%.o: lib/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(LIBFLAGS) $(CFLAGS) -c $< -o $@

# The kernel's lowest machinery: not instrumented, like Linux's entry code.
$(B)/obj/kernel/entry/%.o: kernel/entry/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CLANG) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

# The kernel proper: instrumented with clang's SanitizerCoverage.
$(B)/obj/kernel/%.o: kernel/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC+COV  $<")
	$(Q)$(CLANG) $(BASEFLAGS) $(CFLAGS) $(COV) -c $< -o $@

# The HTML report reads sources under the tree it was built from, by default.
$(B)/obj/cli/cmd_report.o: BASEFLAGS += -DUKCOV_SOURCE_ROOT='"$(CURDIR)"'

$(B)/obj/cli/%.o: cli/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

$(B)/lib/libukcov.a: $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/lib/libukcov.so: $(LIB_OBJS) lib/ukcov.map
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libukcov.so.0 -Wl,--version-script=lib/ukcov.map -Wl,-z,defs \
		-o $@.0 $(LIB_OBJS) $(LDLIBS)
	$(Q)ln -sf libukcov.so.0 $@

$(UKCOV): $(CLI_OBJS) $(KERNEL_OBJS) $(ENTRY_OBJS) $(B)/lib/libukcov.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CLANG) -o $@ $(CLI_OBJS) $(KERNEL_OBJS) $(ENTRY_OBJS) $(B)/lib/libukcov.a $(LDLIBS)

# Unit tests link libukcov with an instrumented fixture module.
$(B)/tests/unit_%: tests/unit/unit_%.c tests/unit/fixture.c $(B)/lib/libukcov.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(BASEFLAGS) -O1 -g $(COV) -c tests/unit/fixture.c -o $@.fixture.o
	$(Q)$(CLANG) $(BASEFLAGS) -O1 -g -Itests/unit $< $@.fixture.o $(B)/lib/libukcov.a -o $@ $(LDLIBS)

# The tmpfs core on its own (no sandbox): its unit tests and the script
# interpreter, whose real backend runs as a guest under `ukcov run --tmpfs`.
$(B)/tests/unit_tmpfs: tests/unit/unit_tmpfs.c $(TMPFS_SRCS) $(TMPFS_HDRS) $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -Ikernel/fs/tmpfs -o $@ tests/unit/unit_tmpfs.c $(TMPFS_SRCS)

$(B)/tests/tmpfs/fsscript: $(FSSCRIPT_SRCS) tests/tmpfs/fsscript.h $(TMPFS_SRCS) $(TMPFS_HDRS) $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -Itests/tmpfs -o $@ $(FSSCRIPT_SRCS) $(TMPFS_SRCS)

$(B)/tests/tmpfs/%: tests/tmpfs/%.c tests/tmpfs/kcov_guest.h $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g $< -o $@

# Guests are ordinary programs: the kcov ABI from <linux/kcov.h>, nothing of ukcov.
$(B)/tests/conformance/%: tests/conformance/%.c $(wildcard tests/conformance/*.h) $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -pthread $< -o $@

# Hostile guests: they attack the supervisor, which must survive and stay exact.
$(B)/tests/hostile/%: tests/hostile/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -pthread $< -o $@

$(B)/examples/%: examples/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g $< -o $@

# The flush benchmark links libukcov with an instrumented module, as an embedder does.
$(B)/bench/flush: bench/flush.c bench/flush_module.c $(B)/lib/libukcov.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(BASEFLAGS) -O2 $(COV) -c bench/flush_module.c -o $@.module.o
	$(Q)$(CLANG) $(BASEFLAGS) -O2 bench/flush.c $@.module.o $(B)/lib/libukcov.a -o $@ $(LDLIBS)

# Benchmark guests are ordinary programs, like the conformance guests.
$(B)/bench/%: bench/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -g $< -o $@

# gcc must build the library too.
$(B)/gcc/libukcov.a: $(LIB_SRCS) $(B)/.deps-ok
	@mkdir -p $(B)/gcc
	@$(if $(Q),echo "  GCC     libukcov")
	$(Q)for f in $(LIB_SRCS); do $(GCC) $(LIBFLAGS) -O2 -c $$f -o $(B)/gcc/$$(basename $$f .c).o || exit 1; done
	$(Q)ar rcs $@ $(B)/gcc/*.o

check: all $(B)/gcc/libukcov.a
	$(Q)sh tests/run.sh $(B)

# Debian's kernel packages (apt-get download, dpkg -x; never installed) in QEMU.
check-kernels: all
	$(Q)sh tests/kernels/check.sh $(B)

demo: all
	$(Q)sh scripts/demo.sh $(B)

bench: all $(BENCH_BINS)
	$(Q)sh bench/run.sh $(B)

clean:
	rm -rf $(B)

.PHONY: all tests examples check check-kernels demo bench clean
.DELETE_ON_ERROR:

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

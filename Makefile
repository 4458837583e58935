# ukcov — kcov for user-space kernels.
#   make          build build/bin/ukcov (+ ukcov-trace), build/lib/libukcov.{a,so} (+ gcc), tests, examples
#   make check    build and run every test; last line: "N passed, N failed"
#   make check-posix  pjdfstest on Linux's tmpfs and under ukcov (PJDFSTEST_SRC=path)
#   make check-ltp    LTP's file-system syscall tests, the same way (LTP_SRC=path)
#   make demo     build and run an example kcov client under `ukcov run`
#   make bench    benchmarks (ratios against a baseline measured in the same run)
#   make check SANITIZE=address,undefined   the same, built with clang's sanitizers
#                 (also SANITIZE=thread), in a build directory of their own
#   make check-kernels  the suites inside Debian's kernels (6.1, 6.12) booted in QEMU
#   make install  PREFIX=/usr/local DESTDIR= (see the install section); make uninstall
#   make fuzz     libFuzzer over the syscall layer for FUZZ_TIME seconds (default 60)
#   make fuzz-smoke   the fuzzer once over its seed corpus (a few seconds; for CI)
#   make fuzz-blocks  replays the fuzz corpus and prints ukcov's own block count
#   make check-fuzz   ukcov fuzz (AFL++) must find a divergence planted in the tmpfs (CHECK_FUZZ_TIME)
#   make proot PROOT_SRC=DIR   proot with ukcov's kcov extension (integrations/proot/);
#                 make check-proot PROOT_SRC=DIR runs its tests, make bench PROOT_SRC=DIR
#                 times it (docs/embedding-proot.md)
# V=1 shows the commands.

CC       ?= clang
ifeq ($(origin CC),default)
CC       := clang
endif
CLANG    ?= clang
GCC      ?= gcc
comma    := ,
SANITIZE ?=
# Sanitizer builds: the CLI, the kernel, libukcov, the unit tests and the
# tmpfs core's test programs; guests stay ordinary programs.
ifneq ($(SANITIZE),)
B        ?= build-san-$(subst $(comma),-,$(SANITIZE))
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
B        ?= build
Q        := $(if $(V),,@)
COV      := -fsanitize-coverage=inline-bool-flag,pc-table
TRACE_COV := -fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -O2 -g -gdwarf-4
BASEFLAGS := -std=gnu11 $(WARN) -Iinclude -MMD -MP -D_GNU_SOURCE= $(SANFLAGS)
# A sanitized libukcov.so takes the sanitizer runtime from the program that loads it.
ZDEFS    := $(if $(SANITIZE),,-Wl,-z,defs)
LIBFLAGS := $(BASEFLAGS) -fPIC -fvisibility=hidden
# libukcov (the runtime) needs only pthreads; libukcov-srcmap (symbolization,
# reports, the filter by file) adds libdw and libelf.
RT_LDLIBS := -lpthread
LDLIBS   := -lpthread -ldw -lelf

LIB_SRCS    := $(wildcard lib/*.c)
SRCMAP_SRCS := lib/srcmap.c lib/binfile.c
RT_SRCS     := $(filter-out $(SRCMAP_SRCS),$(LIB_SRCS))
# The kernel's machinery (entry/, task/, vfs/release.c): built without coverage instrumentation.
NOCOV_SRCS  := $(wildcard kernel/entry/*.c kernel/task/*.c) kernel/vfs/release.c
KERNEL_SRCS := $(filter-out $(NOCOV_SRCS),$(wildcard kernel/syscalls/*.c kernel/vfs/*.c kernel/fs/*.c kernel/fs/*/*.c))
CLI_SRCS    := $(wildcard cli/*.c)
include kernel/fs/tmpfs/tmpfs.mk tests/tmpfs/tmpfs.mk

LIB_OBJS    := $(RT_SRCS:%.c=$(B)/obj/%.o)
SRCMAP_OBJS := $(SRCMAP_SRCS:%.c=$(B)/obj/%.o)
# What a program that symbolizes links: both libraries, the source map first.
LIBS_ALL    := $(B)/lib/libukcov-srcmap.a $(B)/lib/libukcov.a
NOCOV_OBJS  := $(NOCOV_SRCS:%.c=$(B)/obj/%.o)
KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(B)/obj/%.o)
CLI_OBJS    := $(CLI_SRCS:%.c=$(B)/obj/%.o)
# Trace mode: the same kernel sources, built a second time with the trace hooks.
TRACE_KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(B)/obj-trace/%.o)

UNIT_SRCS   := $(filter-out tests/unit/unit_tmpfs.c tests/unit/unit_trace.c,$(wildcard tests/unit/unit_*.c))
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
CONF_SRCS   := $(wildcard tests/conformance/*.c)
CONF_BINS   := $(CONF_SRCS:tests/conformance/%.c=$(B)/tests/conformance/%)
HOSTILE_SRCS := $(wildcard tests/hostile/*.c)
HOSTILE_BINS := $(HOSTILE_SRCS:tests/hostile/%.c=$(B)/tests/hostile/%)
DEPUTY_SRCS := $(wildcard tests/hostile/deputy/*.c)
DEPUTY_BINS := $(DEPUTY_SRCS:tests/hostile/deputy/%.c=$(B)/tests/hostile/deputy/%)
EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLE_BINS := $(EXAMPLE_SRCS:examples/%.c=$(B)/examples/%)
BENCH_BINS  := $(B)/bench/roundtrip $(B)/bench/tmpfs_ops $(B)/bench/hooks $(B)/bench/hooks-trace \
	       $(B)/bench/nullsup $(B)/bench/dirscale $(B)/bench/flush-10k $(B)/bench/flush-100k $(B)/bench/flush-1m

UKCOV := $(B)/bin/ukcov
UKCOV_TRACE := $(B)/bin/ukcov-trace
# The guest `ukcov fuzz` runs under AFL++ (fuzz/, docs/fuzzing.md): an
# ordinary program, beside ukcov, with the differential suite's interpreter.
FUZZ_GUEST := $(B)/bin/ukcov-fuzz-guest
FUZZ_GUEST_SRCS := $(wildcard fuzz/*.c) tests/tmpfs/fsscript.c tests/tmpfs/fsscript_proc.c \
	tests/tmpfs/fsscript_mount.c tests/tmpfs/fsscript_dev.c tests/tmpfs/fsscript_notify.c

all: $(UKCOV) $(UKCOV_TRACE) $(FUZZ_GUEST) $(B)/lib/libukcov.a $(B)/lib/libukcov.so $(B)/lib/libukcov-srcmap.a \
	$(B)/lib/libukcov-srcmap.so $(B)/gcc/libukcov.a tests examples
TMPFS_TEST_BINS := $(B)/tests/unit_tmpfs $(B)/tests/tmpfs/fsscript $(B)/tests/tmpfs/kcov_paths \
	$(B)/tests/tmpfs/kcov_release $(B)/tests/tmpfs/kcov_remote $(B)/tests/tmpfs/proc_guard $(B)/tests/tmpfs/fsctx_reap \
	$(B)/tests/tmpfs/fsctx_tree $(B)/tests/tmpfs/exec_mount $(B)/tests/tmpfs/fifo $(B)/tests/tmpfs/unixsock \
	$(B)/tests/tmpfs/fifo_waiters $(B)/tests/tmpfs/close_eintr $(B)/tests/tmpfs/cwd_slot $(B)/tests/tmpfs/open_flags \
	$(B)/tests/tmpfs/mmaplock $(B)/tests/tmpfs/mapsize $(B)/tests/tmpfs/openers \
	$(B)/tests/tmpfs/rwflags $(B)/tests/tmpfs/deepcwd $(B)/tests/tmpfs/fdtable \
	$(B)/tests/tmpfs/errorder $(B)/tests/tmpfs/fileattrs $(B)/tests/tmpfs/chattr \
	$(B)/tests/tmpfs/txtbsy \
	$(B)/tests/tmpfs/tmpfile $(B)/tests/tmpfs/copyrange $(B)/tests/tmpfs/xattrat $(B)/tests/tmpfs/inotify \
	$(B)/tests/tmpfs/failclosed $(B)/tests/tmpfs/proc_view $(B)/tests/tmpfs/exec_load \
	$(B)/tests/tmpfs/mounts $(B)/tests/tmpfs/graft $(B)/tests/tmpfs/graft_fifo $(B)/tests/tmpfs/fcntl_owner $(B)/tests/tmpfs/fcntl_sig $(B)/tests/tmpfs/fcntl_lease $(B)/tests/tmpfs/dnotify $(B)/tests/tmpfs/close_range $(B)/tests/tmpfs/getdents_old $(B)/tests/tmpfs/sgid_umask $(B)/tests/tmpfs/chroot_mount $(B)/tests/tmpfs/failnth
tests: $(UNIT_BINS) $(B)/tests/unit_trace $(CONF_BINS) $(HOSTILE_BINS) $(DEPUTY_BINS) $(TMPFS_TEST_BINS)
examples: $(EXAMPLE_BINS)

# Missing Debian packages are installed when we run as root, else named exactly.
$(B)/.deps-ok: scripts/deps.sh
	$(Q)SANITIZE='$(SANITIZE)' sh scripts/deps.sh
	$(Q)mkdir -p $(B) && touch $@

# libukcov: never instrumented (it is kcov.c's counterpart).
$(B)/obj/lib/%.o: lib/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(LIBFLAGS) $(CFLAGS) -c $< -o $@

# The kernel's lowest machinery: not instrumented, like Linux's entry code.
$(NOCOV_OBJS): $(B)/obj/%.o: %.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CLANG) $(BASEFLAGS) $(CFLAGS) -c $< -o $@

# The kernel proper: instrumented with clang's SanitizerCoverage.
$(B)/obj/kernel/%.o: kernel/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC+COV  $<")
	$(Q)$(CLANG) $(BASEFLAGS) $(CFLAGS) $(COV) -c $< -o $@

# The kernel proper for trace mode: Linux's trace-pc hook per block, plus comparison operands.
$(B)/obj-trace/kernel/%.o: kernel/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC+TRC  $<")
	$(Q)$(CLANG) $(BASEFLAGS) $(CFLAGS) $(TRACE_COV) -c $< -o $@

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
	$(Q)$(CC) -shared -Wl,-soname,libukcov.so.$(SOVERSION) -Wl,--version-script=lib/ukcov.map $(ZDEFS) $(SANFLAGS) \
		-o $@.$(SOVERSION) $(LIB_OBJS) $(RT_LDLIBS)
	$(Q)ln -sf libukcov.so.$(SOVERSION) $@

$(B)/lib/libukcov-srcmap.a: $(SRCMAP_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/lib/libukcov-srcmap.so: $(SRCMAP_OBJS) $(B)/lib/libukcov.so lib/ukcov.map
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libukcov-srcmap.so.$(SOVERSION) -Wl,--version-script=lib/ukcov.map $(ZDEFS) \
		$(SANFLAGS) -o $@.$(SOVERSION) $(SRCMAP_OBJS) -L$(B)/lib -lukcov -ldw -lelf
	$(Q)ln -sf libukcov-srcmap.so.$(SOVERSION) $@

$(UKCOV): $(CLI_OBJS) $(KERNEL_OBJS) $(NOCOV_OBJS) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CLANG) $(SANFLAGS) -o $@ $(CLI_OBJS) $(KERNEL_OBJS) $(NOCOV_OBJS) $(LIBS_ALL) $(LDLIBS)

# `ukcov run --mode=trace` executes this twin: the same CLI, entry code and
# libukcov, the kernel objects built for trace mode. Same sources and link
# order, so the same blocks in the same order: the same synthetic PCs.
$(UKCOV_TRACE): $(CLI_OBJS) $(TRACE_KERNEL_OBJS) $(NOCOV_OBJS) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CLANG) $(SANFLAGS) -o $@ $(CLI_OBJS) $(TRACE_KERNEL_OBJS) $(NOCOV_OBJS) $(LIBS_ALL) $(LDLIBS)

$(FUZZ_GUEST): $(FUZZ_GUEST_SRCS) $(wildcard fuzz/*.h) tests/tmpfs/fsscript.h $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -g -D_GNU_SOURCE= -DFSSCRIPT_EMBED -o $@ $(FUZZ_GUEST_SRCS)

# Unit tests link libukcov with an instrumented fixture module.
$(B)/tests/unit_%: tests/unit/unit_%.c tests/unit/fixture.c $(LIBS_ALL)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(BASEFLAGS) -O1 -g $(COV) -c tests/unit/fixture.c -o $@.fixture.o
	$(Q)$(CLANG) $(BASEFLAGS) -O1 -g -Itests/unit $< $@.fixture.o $(LIBS_ALL) -o $@ $(LDLIBS)

# Trace mode: the embedder's module built with trace-pc-guard and trace-cmp.
$(B)/tests/unit_trace: tests/unit/unit_trace.c tests/unit/fixture_trace.c tests/unit/fixture_trace.h $(LIBS_ALL)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(BASEFLAGS) -O1 -g $(TRACE_COV) -c tests/unit/fixture_trace.c -o $@.fixture.o
	$(Q)$(CLANG) $(BASEFLAGS) -O1 -g -Itests/unit $< $@.fixture.o $(LIBS_ALL) -o $@ $(LDLIBS)

# The tmpfs core on its own (no sandbox): its unit tests and the script
# interpreter, whose real backend runs as a guest under `ukcov run --tmpfs`.
$(B)/tests/unit_tmpfs: tests/unit/unit_tmpfs.c $(TMPFS_SRCS) $(TMPFS_HDRS) $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g $(SANFLAGS) -Ikernel/fs/tmpfs -o $@ tests/unit/unit_tmpfs.c $(TMPFS_SRCS)

$(B)/tests/tmpfs/fsscript: $(FSSCRIPT_SRCS) tests/tmpfs/fsscript.h $(TMPFS_SRCS) $(TMPFS_HDRS) $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g $(SANFLAGS) -Itests/tmpfs -o $@ $(FSSCRIPT_SRCS) $(TMPFS_SRCS)

$(B)/tests/tmpfs/%: tests/tmpfs/%.c tests/tmpfs/kcov_guest.h $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -pthread $< -o $@

# Guests are ordinary programs: the kcov ABI from <linux/kcov.h>, nothing of ukcov.
$(B)/tests/conformance/%: tests/conformance/%.c $(wildcard tests/conformance/*.h) $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -pthread $< -o $@

# Hostile guests: they attack the supervisor, which must survive and stay exact.
$(B)/tests/hostile/deputy/%: tests/hostile/deputy/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g $< -o $@

$(B)/tests/hostile/%: tests/hostile/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -pthread $< -o $@

$(B)/examples/%: examples/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g $< -o $@

# The flush benchmark links libukcov with a module generated here (never
# checked in) and built with the coverage flags, as an embedder does:
# 15-block functions, 667 / 6,667 / 66,667 of them (10k / 100k / 1M blocks),
# in parts that build in parallel. -O0: the flush sees only the flags and
# the PC table, and clang takes minutes over 1M blocks at -O2.
FLUSH_FUNCS_10k  := 667
FLUSH_FUNCS_100k := 6667
FLUSH_FUNCS_1m   := 66667
FLUSH_PARTS_10k  := 1
FLUSH_PARTS_100k := 2
FLUSH_PARTS_1m   := 8
flush_parts = $(shell seq 0 $$(($(FLUSH_PARTS_$(1)) - 1)))
define flush_module
$(B)/bench/gen/m$(1).tab.c: bench/gen_module.sh
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  GEN     $$@")
	$$(Q)sh bench/gen_module.sh $(FLUSH_FUNCS_$(1)) $(FLUSH_PARTS_$(1)) $(B)/bench/gen/m$(1)
$(B)/bench/gen/m$(1).%.c: $(B)/bench/gen/m$(1).tab.c
	@true
$(B)/bench/gen/m$(1).%.o: $(B)/bench/gen/m$(1).%.c
	@$$(if $$(Q),echo "  CC+COV  $$@")
	$$(Q)$(CLANG) -std=gnu11 -O0 $(COV) -c $$< -o $$@
$(B)/bench/gen/m$(1).tab.o: $(B)/bench/gen/m$(1).tab.c
	$$(Q)$(CLANG) -std=gnu11 -O1 -c $$< -o $$@
$(B)/bench/flush-$(1): bench/flush.c bench/bench.h $(B)/bench/gen/m$(1).tab.o $(foreach p,$(call flush_parts,$(1)),$(B)/bench/gen/m$(1).$(p).o) $(B)/lib/libukcov.a
	@$$(if $$(Q),echo "  CC      $$@")
	$$(Q)$(CLANG) $(BASEFLAGS) -O2 bench/flush.c $(B)/bench/gen/m$(1).tab.o $(foreach p,$(call flush_parts,$(1)),$(B)/bench/gen/m$(1).$(p).o) $(B)/lib/libukcov.a -o $$@ $(LDLIBS)
endef
$(foreach n,10k 100k 1m,$(eval $(call flush_module,$(n))))
# Generated sources are kept: a rebuild of the benchmark does not regenerate 1M blocks.
.SECONDARY: $(foreach n,10k 100k 1m,$(foreach p,$(call flush_parts,$(n)),$(B)/bench/gen/m$(n).$(p).c))

# The per-block cost of both modes: the same module, built for each.
$(B)/bench/hooks: bench/hooks.c bench/flush_module.c $(B)/lib/libukcov.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(BASEFLAGS) -O2 $(COV) -c bench/flush_module.c -o $@.module.o
	$(Q)$(CLANG) $(BASEFLAGS) -O2 bench/hooks.c $@.module.o $(B)/lib/libukcov.a -o $@ $(LDLIBS)

$(B)/bench/hooks-trace: bench/hooks.c bench/flush_module.c $(B)/lib/libukcov.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(BASEFLAGS) -O2 $(TRACE_COV) -c bench/flush_module.c -o $@.module.o
	$(Q)$(CLANG) $(BASEFLAGS) -O2 bench/hooks.c $@.module.o $(B)/lib/libukcov.a -o $@ $(LDLIBS)

# Benchmark guests are ordinary programs, like the conformance guests.
$(B)/bench/%: bench/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -g $< -o $@

# gcc must build the library too.
$(B)/gcc/libukcov.a: $(LIB_SRCS) $(wildcard lib/*.h include/ukcov/*.h) $(B)/.deps-ok
	@mkdir -p $(B)/gcc
	@$(if $(Q),echo "  GCC     libukcov")
	$(Q)for f in $(LIB_SRCS); do $(GCC) $(filter-out $(SANFLAGS),$(LIBFLAGS)) -O2 -c $$f -o $(B)/gcc/$$(basename $$f .c).o || exit 1; done
	$(Q)ar rcs $@ $(B)/gcc/*.o

check: all $(B)/gcc/libukcov.a
	$(Q)SANFLAGS='$(SANFLAGS)' sh tests/run.sh $(B)

# Debian's kernel packages (apt-get download, dpkg -x; never installed) in QEMU.
check-kernels: all
	$(Q)sh tests/kernels/check.sh $(B)

demo: all
	$(Q)sh scripts/demo.sh $(B)

# make soak: SOAK_SECONDS (600) of parallel kcov clients, threads and tmpfs work under one ukcov run.
$(B)/tests/soak/soak: tests/soak/soak.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=gnu11 $(WARN) -O1 -g -pthread $< -o $@

soak: all $(B)/tests/soak/soak
	$(Q)sh tests/soak/soak.sh $(B)

# A third-party POSIX suite (pjdfstest, not vendored) on Linux's tmpfs and
# under `ukcov run --tmpfs`, compared: PJDFSTEST_SRC=path make check-posix
check-posix: $(UKCOV)
	$(Q)sh tests/posix/run-pjdfstest.sh $(B)

# The Linux Test Project's file-system syscall tests (release pinned in
# tests/ltp/run-ltp.sh, not vendored) on Linux's tmpfs and under
# `ukcov run --tmpfs`, compared: LTP_SRC=path make check-ltp
# A skip (no LTP_SRC, not root, missing packages) is not a failure.
check-ltp: $(UKCOV)
	$(Q)sh tests/ltp/run-ltp.sh $(B); rc=$$?; [ $$rc = 77 ] || exit $$rc

bench: all $(BENCH_BINS) $(if $(PROOT_SRC),proot)
	$(Q)sh bench/run.sh $(B)
	$(if $(PROOT_SRC),$(Q)sh bench/proot.sh $(B))
	$(Q)sh bench/fuzz.sh $(B)

clean:
	rm -rf $(B)

# ---- make fuzz: libFuzzer over syscall_dispatch() and everything below it ----
# The kernel is built with libFuzzer's coverage and ukcov's own flags over one
# PC table, plus ASan and UBSan, in $(FB); entry/ and libukcov with the
# sanitizers only. The harness replaces entry/supervisor.c with
# tests/fuzz/entry_shim.c; guestmem.c's functions that need a real seccomp
# listener (and the guest memory calls, which the shim wraps to plan faults)
# are renamed real_* in this build. See tests/fuzz/fuzz_syscalls.c.
FB        := build-fuzz
FUZZ_TIME ?= 60
FUZZ_ARGS ?=
# Explicitly what -fsanitize=fuzzer-no-link adds (clang 14 hangs on that flag with inline-bool-flag).
FUZZ_COV  := -fsanitize-coverage=inline-8bit-counters,indirect-calls,trace-cmp,inline-bool-flag,pc-table
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 $(WARN) -Iinclude -MMD -MP -D_GNU_SOURCE= -O1 -g -gdwarf-4 $(FUZZ_SAN)
FUZZ_RENAME := -Dguest_read=real_guest_read -Dguest_write=real_guest_write \
	-Dguest_read_str=real_guest_read_str -Dguest_install_fd=real_guest_install_fd \
	-Dnotif_id_valid=real_notif_id_valid
FUZZ_KERNEL_OBJS := $(KERNEL_SRCS:%.c=$(FB)/obj/%.o)
FUZZ_NOCOV_OBJS  := $(patsubst %.c,$(FB)/obj/%.o,$(filter-out kernel/entry/supervisor.c,$(NOCOV_SRCS)))
FUZZ_LIB_OBJS    := $(LIB_SRCS:%.c=$(FB)/obj/%.o)
FUZZ_HARNESS_OBJS := $(FB)/obj/tests/fuzz/fuzz_syscalls.o $(FB)/obj/tests/fuzz/entry_shim.o \
	$(FB)/obj/tests/fuzz/deputy.o
FUZZER    := $(FB)/fuzz_syscalls
FUZZ_OPTS := -dict=tests/fuzz/ukcov.dict -artifact_prefix=$(FB)/artifacts/ -detect_leaks=1 \
	-rss_limit_mb=4096 -print_final_stats=1

$(FB)/obj/kernel/task/guestmem.o: FUZZ_CFLAGS += $(FUZZ_RENAME)
$(FUZZ_NOCOV_OBJS): $(FB)/obj/%.o: %.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FB)/obj/kernel/%.o: kernel/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC+FUZZ $@")
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(FUZZ_COV) -c $< -o $@

# libukcov's __sanitizer_cov_pcs_init is libFuzzer's too: renamed here, called by the shim's wrapper.
# Its trace-mode hooks are libFuzzer's too; the kernel is built in flag mode here, and they are renamed away
# (KCOV_TRACE_CMP records nothing in this build: the kernel's comparisons feed libFuzzer).
FUZZ_HOOKS := trace_pc_guard trace_pc_guard_init trace_switch trace_cmp1 trace_cmp2 trace_cmp4 trace_cmp8 \
	trace_const_cmp1 trace_const_cmp2 trace_const_cmp4 trace_const_cmp8
$(FB)/obj/lib/%.o: FUZZ_CFLAGS += $(foreach h,$(FUZZ_HOOKS),-D__sanitizer_cov_$(h)=ukcov_unhooked_$(h))
$(FB)/obj/lib/blocks.o: FUZZ_CFLAGS += -D__sanitizer_cov_pcs_init=ukcov_sancov_pcs_init
$(FB)/obj/lib/%.o: lib/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FB)/obj/tests/fuzz/%.o: tests/fuzz/%.c $(B)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZER): $(FUZZ_HARNESS_OBJS) $(FUZZ_KERNEL_OBJS) $(FUZZ_NOCOV_OBJS) $(FUZZ_LIB_OBJS)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CLANG) -fsanitize=fuzzer,address,undefined -Wl,--wrap=__sanitizer_cov_pcs_init -o $@ $^ $(LDLIBS)

# New inputs go to $(FB)/corpus; the seeds in tests/fuzz/corpus are read only.
fuzz: $(FUZZER)
	@mkdir -p $(FB)/corpus $(FB)/artifacts
	$(Q)$(FUZZER) $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) $(FUZZ_ARGS) $(FB)/corpus tests/fuzz/corpus

fuzz-smoke: $(FUZZER)
	@mkdir -p $(FB)/artifacts
	$(Q)$(FUZZER) $(FUZZ_OPTS) -runs=0 tests/fuzz/corpus

fuzz-blocks: $(FUZZER)
	@mkdir -p $(FB)/corpus $(FB)/artifacts
	$(Q)UKCOV_FUZZ_BLOCKS=1 $(FUZZER) $(FUZZ_OPTS) -runs=0 $(FB)/corpus tests/fuzz/corpus

include integrations/proot/proot.mk

# make check-fuzz: ukcov built with a planted divergence (UKCOV_FUZZ_PLANT,
# kernel/fs/tmpfs/pathops.c) in build-plant/, and `ukcov fuzz` must find it
# from the differential suite's scripts in one of CHECK_FUZZ_ATTEMPTS (5)
# searches of CHECK_FUZZ_TIME (default 3m) each.
CHECK_FUZZ_TIME ?= 3m
check-fuzz:
	$(Q)FUZZ=1 sh scripts/deps.sh
	$(Q)$(MAKE) --no-print-directory B=build-plant CFLAGS='$(CFLAGS) -DUKCOV_FUZZ_PLANT' \
		build-plant/bin/ukcov build-plant/bin/ukcov-trace build-plant/bin/ukcov-fuzz-guest
	$(Q)sh tests/fuzz/check-fuzz.sh build-plant $(CHECK_FUZZ_TIME)

.PHONY: all tests examples check check-fuzz check-posix check-ltp check-kernels demo bench soak clean fuzz fuzz-smoke fuzz-blocks
.DELETE_ON_ERROR:

# ---------------------------------------------------------------------------
# Install (issue 12). GNU directory variables; DESTDIR stages a package:
#   make install PREFIX=$HOME/.local        make uninstall PREFIX=$HOME/.local
#   make install DESTDIR=/tmp/stage PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu
# The version is written once, in include/ukcov/version.h: it names the .so
# file, gives the soname its major, and is ukcov.pc's Version.
# ---------------------------------------------------------------------------
VERSION_SED  = s/^\#define UKCOV_VERSION_$(1)  *\([0-9][0-9]*\).*/\1/p
version_part = $(shell sed -n '$(call VERSION_SED,$(1))' include/ukcov/version.h)
VERSION      := $(call version_part,MAJOR).$(call version_part,MINOR).$(call version_part,PATCH)
SOVERSION    := $(firstword $(subst ., ,$(VERSION)))
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MANDIR       ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL      ?= install
MAN_PAGES    := $(wildcard man/*.[137])
# `man ukcov_kcov_ioctl` opens libukcov(3): one link per function of the API.
MAN3_SED     := s/^[a-z].*[ *]\(ukcov_[a-z0-9_]*\)[(].*/\1/p
MAN3_LINKS   := $(sort $(shell sed -n '$(MAN3_SED)' include/ukcov/ukcov.h include/ukcov/srcmap.h))

# Paths under PREFIX are written relative to ${prefix}, so that
# `pkg-config --define-prefix` and `--define-variable=prefix=` relocate them.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

# Trace mode's flags (TRACE_COV) and its twin binary (UKCOV_TRACE), where the
# build has them, are installed too: `ukcov run --mode=trace` executes the
# twin from the directory of `ukcov`.
$(B)/ukcov.pc: lib/ukcov.pc.in Makefile FORCE
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_path,$(LIBDIR))|' \
		-e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@SANCOV_CFLAGS@|$(COV)|' -e 's|@LIBS_PRIVATE@|$(RT_LDLIBS)|' \
		$(if $(TRACE_COV),-e 's|@SANCOV_TRACE_CFLAGS@|$(TRACE_COV)|',-e '/sancov_trace_cflags/d') $< >$@.tmp && \
		{ cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@; }

$(B)/ukcov-srcmap.pc: lib/ukcov-srcmap.pc.in Makefile FORCE
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_path,$(LIBDIR))|' \
		-e 's|@INCLUDEDIR@|$(call pc_path,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' $< >$@.tmp && \
		{ cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@; }

install: $(UKCOV) $(UKCOV_TRACE) $(FUZZ_GUEST) $(B)/lib/libukcov.a $(B)/lib/libukcov.so $(B)/ukcov.pc \
	$(B)/lib/libukcov-srcmap.a $(B)/lib/libukcov-srcmap.so $(B)/ukcov-srcmap.pc
	@$(if $(Q),echo "  INSTALL $(DESTDIR)$(PREFIX)")
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(INCLUDEDIR)/ukcov $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(MANDIR)/man7
	$(Q)$(INSTALL) -m 755 $(UKCOV) $(DESTDIR)$(BINDIR)/ukcov
	$(Q)$(if $(UKCOV_TRACE),$(INSTALL) -m 755 $(UKCOV_TRACE) $(DESTDIR)$(BINDIR)/ukcov-trace,:)
	$(Q)$(INSTALL) -m 755 $(FUZZ_GUEST) $(DESTDIR)$(BINDIR)/ukcov-fuzz-guest
	$(Q)$(INSTALL) -m 755 scripts/ukcov-syzkaller $(DESTDIR)$(BINDIR)/ukcov-syzkaller
	$(Q)$(INSTALL) -m 644 $(B)/lib/libukcov.a $(DESTDIR)$(LIBDIR)/libukcov.a
	$(Q)$(INSTALL) -m 755 $(B)/lib/libukcov.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libukcov.so.$(VERSION)
	$(Q)ln -sf libukcov.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libukcov.so.$(SOVERSION)
	$(Q)ln -sf libukcov.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libukcov.so
	$(Q)$(INSTALL) -m 644 $(B)/lib/libukcov-srcmap.a $(DESTDIR)$(LIBDIR)/libukcov-srcmap.a
	$(Q)$(INSTALL) -m 755 $(B)/lib/libukcov-srcmap.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libukcov-srcmap.so.$(VERSION)
	$(Q)ln -sf libukcov-srcmap.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libukcov-srcmap.so.$(SOVERSION)
	$(Q)ln -sf libukcov-srcmap.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libukcov-srcmap.so
	$(Q)$(INSTALL) -m 644 $(B)/ukcov-srcmap.pc $(DESTDIR)$(PKGCONFIGDIR)/ukcov-srcmap.pc
	$(Q)$(INSTALL) -m 644 include/ukcov/*.h $(DESTDIR)$(INCLUDEDIR)/ukcov/
	$(Q)$(INSTALL) -m 644 $(B)/ukcov.pc $(DESTDIR)$(PKGCONFIGDIR)/ukcov.pc
	$(Q)for m in $(MAN_PAGES); do \
		$(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/ || exit 1; done
	$(Q)for f in $(MAN3_LINKS); do ln -sf libukcov.3 $(DESTDIR)$(MANDIR)/man3/$$f.3 || exit 1; done

uninstall:
	@$(if $(Q),echo "  UNINST  $(DESTDIR)$(PREFIX)")
	$(Q)rm -f $(DESTDIR)$(BINDIR)/ukcov $(DESTDIR)$(BINDIR)/ukcov-trace $(DESTDIR)$(BINDIR)/ukcov-syzkaller $(DESTDIR)$(BINDIR)/ukcov-fuzz-guest \
		$(DESTDIR)$(LIBDIR)/libukcov.a \
		$(DESTDIR)$(LIBDIR)/libukcov.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libukcov.so.$(SOVERSION) \
		$(DESTDIR)$(LIBDIR)/libukcov.so $(DESTDIR)$(PKGCONFIGDIR)/ukcov.pc \
		$(DESTDIR)$(LIBDIR)/libukcov-srcmap.a $(DESTDIR)$(LIBDIR)/libukcov-srcmap.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libukcov-srcmap.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libukcov-srcmap.so \
		$(DESTDIR)$(PKGCONFIGDIR)/ukcov-srcmap.pc \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/ukcov/,$(notdir $(wildcard include/ukcov/*.h))) \
		$(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
		$(foreach f,$(MAN3_LINKS),$(DESTDIR)$(MANDIR)/man3/$(f).3)
	$(Q)rmdir $(DESTDIR)$(INCLUDEDIR)/ukcov 2>/dev/null || true

FORCE:
.PHONY: install uninstall FORCE
# --------------------------- end of install section ------------------------

-include $(shell find $(B)/obj $(B)/obj-trace -name '*.d' 2>/dev/null)
-include $(shell find $(FB)/obj -name '*.d' 2>/dev/null)

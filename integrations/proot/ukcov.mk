# ukcov's build of proot: make -f ukcov.mk in a copy of proot's src/ (see
# build.sh), with UKCOV_INCLUDE, UKCOV_LIB and UKCOV_SANCOV set. Adds the kcov
# extension to proot's objects, then proot's own GNUmakefile unchanged, then
# the coverage flags per target: proot's "kernel" (path and syscall
# translation, execve, ptrace emulation, extensions) is instrumented; its
# entry (cli/: options, main), event loop and tracee memory/register helpers
# (tracee/), the extension glue (extension/extension.c, the kcov extension)
# and the loader (which runs inside the tracee) are not. `private`: the flags
# must not reach the feature probes build.h depends on, which would then fail
# to link and silently turn proot's seccomp support off.
OBJECTS += extension/kcov/kcov.o
include GNUmakefile

KCOV_KERNEL := $(filter path/% syscall/% execve/% ptrace/% extension/kompat/% extension/fake_id0/% \
	extension/link2symlink/% extension/portmap/%,$(OBJECTS))
$(KCOV_KERNEL): private CFLAGS += $(UKCOV_SANCOV)
CPPFLAGS += -I$(UKCOV_INCLUDE)
proot: private LDFLAGS += $(UKCOV_LIB) -lpthread

/* SPDX-License-Identifier: MIT */
/*
 * embed: a tiny user-space kernel that is not `ukcov run`, built only
 * against an installed libukcov (pkg-config ukcov).
 *
 * Guests are C functions run in-process as cooperative tasks (ucontext);
 * their "syscalls" are calls of emu_syscall(). The kernel that serves them
 * (kernel.c) is compiled with the SanitizerCoverage flags of ukcov.pc, and
 * serves /sys/kernel/debug/kcov through libukcov: each guest task opens
 * it, maps its own area and sees the blocks of kernel.c its own syscalls
 * ran, however the tasks interleave.
 *
 *   guest.c   the guests: ordinary kcov clients (not instrumented)
 *   entry.c   scheduler and syscall entry/exit, the flush (not instrumented,
 *             like Linux's entry code)
 *   kernel.c  syscall table and handlers, fd table, kcov routing (instrumented)
 */
#ifndef EMBED_H
#define EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SYS_open,      /* (path, flags) -> fd */
	SYS_close,     /* (fd) */
	SYS_ioctl,     /* (fd, cmd, arg) */
	SYS_mmap,      /* (addr, len, prot, flags, fd, off) -> address */
	SYS_munmap,    /* (addr, len) */
	SYS_write,     /* (fd, buf, len) -> len: fd 1 is the console */
	SYS_getpid,    /* () -> tid */
	SYS_yield,     /* () : run the other tasks */
	SYS_kv_put,    /* (key, value): a tiny key-value store */
	SYS_kv_get,    /* (key) -> value, or -ENOENT */
	NR_SYSCALLS,
};

/* The guest's side: returns the result, or -errno. */
long emu_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* A guest task (thread) as the kernel sees it. */
struct task {
	int tid;
	const char *name;
	struct ukcov_task *cov; /* libukcov's view of this thread */
};

/* kernel.c (instrumented): one syscall for task t. Returns its result or -errno. */
long kernel_syscall(struct task *t, long nr, const long args[6]);
/* The console's contents (what guests wrote to fd 1). */
const char *kernel_console(void);

/* guest.c: the guest programs and what their kcov areas held. */
#define GUEST_PCS 1024
struct guest_result {
	uint64_t pcs[GUEST_PCS];
	size_t n;
	int err; /* -errno of the first failed syscall, or 0 */
};
extern struct guest_result guest_results[2];
void guest_writer(void);
void guest_reader(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * libukcov: kcov for user-space kernels.
 *
 * An embedder (a user-space kernel, emulator or library OS) compiles its
 * kernel code with clang's SanitizerCoverage
 *   -fsanitize-coverage=inline-bool-flag,pc-table
 * (counter mode) or
 *   -fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp
 * (trace mode: Linux's ordered trace, comparison operands, unique mode) and
 * links libukcov, whose constructor-time hooks build the block table. A
 * process holds one mode: the hooks its modules call decide which. The same
 * sources give the same blocks, in the same order, in both modes, hence the
 * same synthetic PCs. It then drives the emulated kcov device through this API:
 *
 *   guest open("/sys/kernel/debug/kcov")  -> ukcov_kcov_open(), install
 *                                            ukcov_kcov_fd() in the guest
 *   guest ioctl(fd, cmd, arg)             -> ukcov_kcov_ioctl()
 *   guest mmap(fd, len, off)              -> ukcov_kcov_mmap_check(), then map
 *                                            ukcov_kcov_fd() for the guest
 *   last reference to the file dropped    -> ukcov_kcov_close()
 *   kernel starts working for a thread    -> ukcov_task_new() once per thread,
 *                                            ukcov_task_enter() at each entry
 *   kernel returns to that thread         -> ukcov_task_return_to_user()
 *   kernel did work for no thread         -> ukcov_discard()
 *   thread exits                          -> ukcov_task_exit()
 *   background work for a remote handle   -> ukcov_remote_start() ... ukcov_remote_stop()
 *
 * Every function that can fail returns 0 (or a non-negative value) or -errno,
 * with Linux's errno for the same situation. Nothing here prints or exits.
 *
 * Threads. In trace mode several kernel threads may serve several guest
 * threads at once: the current task is per kernel thread (enter/return), the
 * hooks write only to that task's area, the kcov calls (open, ioctl, close,
 * task_exit) lock internally and remote sections are per kernel thread. Each
 * task is served by one kernel thread at a time.
 * In counter mode the block flags are global: ukcov_task_return_to_user(),
 * ukcov_remote_start()/stop() and all instrumented work must be serialized
 * by the embedder (one kernel thread serving guest threads one at a time, as
 * ukcov's supervisor does); what ran since the previous flush is charged to
 * the task that returns.
 * ukcov_set_block_filter() and module registration must not race anything.
 */
#ifndef UKCOV_UKCOV_H
#define UKCOV_UKCOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kcov_uapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; this API is what it exports. */
#pragma GCC visibility push(default)

/*
 * Synthetic PCs. Block i of the block table (modules in registration order,
 * blocks in compiler order) reports UKCOV_PC_BASE + i * UKCOV_PC_STRIDE: in the
 * x86-64 kernel text range that tools filter on, unique in its low 32 bits for
 * up to UKCOV_MAX_BLOCKS blocks, the same for the same binary on every run,
 * and mapped back to its block by arithmetic.
 */
#define UKCOV_PC_BASE 0xffffffff81000000ull
#define UKCOV_PC_STRIDE 4ull
#define UKCOV_MAX_BLOCKS (1u << 28)

struct ukcov_block {
	uint64_t pc;      /* synthetic PC */
	uintptr_t addr;   /* the block's address in this process */
	uint32_t module;  /* index of the module (DSO) that holds it */
	uint32_t function; /* index of its function in the whole table */
	bool entry;       /* the function's entry block */
};

/* How the registered modules were built (a process holds one mode). */
enum ukcov_mode {
	UKCOV_MODE_COUNTERS, /* inline-bool-flag: flushed at ukcov_task_return_to_user() */
	UKCOV_MODE_TRACE,    /* trace-pc-guard (+ trace-cmp): written as the code runs */
};
enum ukcov_mode ukcov_mode(void);

/* Number of instrumented blocks registered so far. */
size_t ukcov_block_count(void);
/* Number of instrumented functions registered so far. */
size_t ukcov_function_count(void);
/* Block by table index. Returns 0 or -ENOENT. */
int ukcov_block_at(size_t index, struct ukcov_block *out);
/* Block of a synthetic PC, in O(1). Returns 0, or -ENOENT for a PC that no block has. */
int ukcov_block_lookup(uint64_t pc, struct ukcov_block *out);
/* Synthetic PC of table index. */
static inline uint64_t ukcov_pc_of_index(size_t index)
{
	return UKCOV_PC_BASE + (uint64_t)index * UKCOV_PC_STRIDE;
}

/*
 * The GNU build ID (NT_GNU_BUILD_ID, linked with --build-id) of the binary
 * that holds block 0, whose build the synthetic PCs belong to: publish it
 * with the PCs, and `ukcov symbolize --binary=FILE --build-id=HEX` refuses
 * a FILE of another build. Copies up to `len` bytes to `out` and returns
 * the ID's length, or -ENODATA (no blocks, or no build ID).
 */
int ukcov_build_id(uint8_t *out, size_t len);

/*
 * Instrumentation filter: only blocks whose index is set in `mask` (one bool
 * per block, ukcov_block_count() long) are ever reported, and functions with
 * no selected block are never scanned. NULL selects every block.
 * Returns 0 or -ENOMEM.
 */
int ukcov_set_block_filter(const bool *mask);

/* A guest thread as the kcov device sees it. */
struct ukcov_task;
/* Returns a new task, or NULL when out of memory. */
struct ukcov_task *ukcov_task_new(void);
/*
 * The calling kernel thread starts working for `t` (syscall entry). Trace
 * mode: the hooks on this thread write to t's area until
 * ukcov_task_return_to_user(t). Counter mode: no effect (needed only for
 * code that runs in both).
 */
void ukcov_task_enter(struct ukcov_task *t);
/*
 * A task created by `parent` (fork, clone) after it passed a common handle
 * to KCOV_REMOTE_ENABLE inherits that handle, as Linux's kcov_task_init().
 */
void ukcov_task_inherit(struct ukcov_task *child, const struct ukcov_task *parent);
/* The common remote handle of the task (0: none), to tag background work done for it. */
uint64_t ukcov_task_common_handle(const struct ukcov_task *t);
/*
 * Background work done on behalf of `handle` (a common handle from
 * ukcov_task_common_handle(), or a USB-subsystem handle) runs between these
 * two on one kernel thread: its coverage goes to a private area of the
 * owning kcov's area_size words, appended to the owner's area at stop, and
 * dropped if the owner disabled meanwhile (Linux's kcov_remote_start/stop).
 * No kcov holding `handle`: the coverage is discarded. Sections do not nest.
 * Counter mode: call from uninstrumented code, serialized (see above).
 */
void ukcov_remote_start(uint64_t handle);
void ukcov_remote_stop(void);
/*
 * The kernel is about to return to this thread. Trace mode: the hooks of the
 * calling kernel thread stop writing for it (they wrote as the code ran).
 * Counter mode: the coverage gathered since the previous return (all of it
 * done for this thread, since the embedder serves one thread at a time) goes
 * to the thread's kcov area if it has one enabled, and is discarded otherwise.
 *
 * With `full_scan` false, functions whose entry block did not run are
 * skipped: valid only when no instrumented function is on any stack (the
 * flush is called from uninstrumented code and no other thread runs
 * instrumented code). Pass true otherwise.
 */
void ukcov_task_return_to_user(struct ukcov_task *t, bool full_scan);
/*
 * The code that ran since the previous flush was done for no task (a
 * tracer's own housekeeping: its event loop, a signal, a thread it serves
 * for nobody): counter mode drops it, as a flush for a task with nothing
 * enabled would, without a dummy task; whole-run coverage still records it.
 * Trace mode keeps nothing between flushes: the hooks of the calling kernel
 * thread only stop writing for the task they served. To charge such work to
 * a task instead, return to that task: ukcov_task_return_to_user(t, ...).
 * `full_scan` as for ukcov_task_return_to_user(); serialized like it.
 */
void ukcov_discard(bool full_scan);
/* The thread exited: its kcov (if any) is disabled, as Linux's kcov_task_exit(). */
void ukcov_task_exit(struct ukcov_task *t);
/* True when the task has a kcov enabled (it will receive coverage). */
bool ukcov_task_traced(const struct ukcov_task *t);

/* One open file description of the kcov device. */
struct ukcov_kcov;

/* Reads guest memory for ioctls that take a pointer. Returns 0 or -EFAULT. */
struct ukcov_guest_mem {
	int (*read)(void *ctx, void *dst, uint64_t guest_addr, size_t len);
	void *ctx;
};

/*
 * open(): a new, independent kcov in the DISABLED state. `flags` are the
 * open flags (O_ACCMODE is honoured by ukcov_kcov_mmap_check()).
 * Returns 0 or -ENOMEM/-EMFILE/-ENFILE.
 */
int ukcov_kcov_open(int flags, struct ukcov_kcov **out);
/*
 * The memfd that backs the area: install it in the guest for this open file
 * so that the guest's mmap() maps the same pages the library writes. Once
 * KCOV_INIT_TRACE succeeded it is sealed against resizing.
 */
int ukcov_kcov_fd(const struct ukcov_kcov *k);
/*
 * ioctl(fd, cmd, arg) made by thread `t`. Returns 0 or -errno exactly as
 * Linux's kcov_ioctl(). `mem` may be NULL (pointer arguments then fault).
 */
int ukcov_kcov_ioctl(struct ukcov_kcov *k, struct ukcov_task *t, unsigned int cmd,
		     unsigned long arg, const struct ukcov_guest_mem *mem);
/*
 * mmap(NULL, len, prot, flags, fd, off): returns 0 when Linux's kcov_mmap()
 * would accept the mapping (the embedder then maps ukcov_kcov_fd()), or
 * -EINVAL / -EACCES.
 */
int ukcov_kcov_mmap_check(const struct ukcov_kcov *k, uint64_t len, int prot, int flags,
			  uint64_t off);
/* The last reference to the open file is gone. Tracing goes on until its thread disables or exits. */
void ukcov_kcov_close(struct ukcov_kcov *k);
/* True while a thread has this kcov enabled. */
bool ukcov_kcov_enabled(const struct ukcov_kcov *k);

/*
 * Routing, for embedders that let the host kernel hold the guest's kcov fd
 * (ukcov_kcov_fd() installed in the guest: a ptrace tracer, or a seccomp
 * supervisor answering with the memfd) and so see neither dup, fork, fd
 * passing nor close. Processes are read through /proc (same user, or
 * CAP_SYS_PTRACE).
 *
 * The open kcov (not yet closed) whose memfd has this device and inode
 * (st_dev, st_ino of the guest's fd), or NULL.
 */
struct ukcov_kcov *ukcov_kcov_find(uint64_t dev, uint64_t ino);
/*
 * The kcov behind fd `fd` of process (or thread) `pid`. Returns 0, -ENOENT
 * when the fd is not a kcov, -EBADF when it is not open, or the -errno of
 * reading /proc.
 */
int ukcov_kcov_find_fd(pid_t pid, int fd, struct ukcov_kcov **out);
/*
 * The embedder gives its reference to the file to the guest: once the guest
 * holds the memfd (its open() completed), the kcov lives as long as a guest
 * process holds an fd or a mapping of it, and ukcov_kcov_sweep() closes it
 * then, as Linux's last fput() would. Do not call ukcov_kcov_close() after.
 */
void ukcov_kcov_hand_over(struct ukcov_kcov *k);
/*
 * Closes every handed-over kcov that none of the processes pids[0..n) holds
 * (by fd or mapping). Call it after a guest close(), a successful execve()
 * (close-on-exec) and a process exit, with every live guest process. Not
 * seen: references held outside those processes (an fd in flight in a unix
 * socket, an fd passed to a process the embedder does not serve). Returns
 * how many were closed, or -ENOMEM. Costs nothing while none is handed over.
 */
int ukcov_kcov_sweep(const pid_t *pids, size_t n);

/*
 * Whole-run coverage (what `ukcov run --coverage` writes): from this call on,
 * every block that runs, for any task or for none, is remembered until the
 * process ends. Costs nothing before it is called; after it, one store per
 * block a flush finds (counter mode) or per block run (trace mode). Call it
 * once, serialized like the flush. Returns 0, or -ENOMEM.
 */
int ukcov_cumulative_enable(void);
/*
 * Calls fn(index, arg), in index order, for every block remembered since
 * ukcov_cumulative_enable() (counter mode: also the flags no flush took yet;
 * call it with no instrumented code running, like a full-scan flush).
 * Returns how many blocks ran (0 when it was never enabled).
 */
size_t ukcov_cumulative_foreach(void (*fn)(size_t index, void *arg), void *arg);

/* Counters of the library, for benchmarks and tests (counter mode; the trace hooks count nothing). */
struct ukcov_stats {
	uint64_t flushes;          /* calls of ukcov_task_return_to_user() */
	uint64_t functions_scanned; /* functions whose blocks were scanned */
	uint64_t pcs_written;      /* PCs stored into areas */
	uint64_t pcs_dropped;      /* PCs lost to full areas */
};
void ukcov_stats_get(struct ukcov_stats *out);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif

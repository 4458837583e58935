/* SPDX-License-Identifier: MIT */
/* The user-space kernel as the CLI sees it. */
#ifndef UKCOV_SANDBOX_H
#define UKCOV_SANDBOX_H

#include <stdbool.h>

struct sandbox_options {
	char *const *argv;        /* the guest program and its arguments */
	bool verbose;             /* one line per trapped syscall on stderr */
	bool no_sync_wakeup;      /* for benchmarks: plain wake-ups of the supervisor */
	bool fault_injection;     /* serve /proc/thread-self/fail-nth (vfs/failnth.c) */
	const char *const *tmpfs; /* --tmpfs specs "PATH[:size=N]", NULL-terminated (or NULL) */
	unsigned int force_fallbacks; /* SANDBOX_FALLBACK_* bits: act as on a kernel without them */
};

/* Newer kernel features, each with a fallback for older kernels (task/features.c). */
#define SANDBOX_FALLBACK_PIDFD_THREAD 1u  /* Linux 6.9 */
#define SANDBOX_FALLBACK_SYNC_WAKEUP  2u  /* Linux 6.6 */
#define SANDBOX_FALLBACK_EXIT_WATCH   4u  /* io_uring (5.13 multishot poll), when a policy allows it */
#define SANDBOX_FALLBACK_TMPFS_STORE  8u  /* a private host tmpfs per mount (5.2 fsopen, CAP_SYS_ADMIN) */
#define SANDBOX_FALLBACK_ALL          15u

/* The step named by sandbox_run() when the guest program could not be executed. */
extern const char sandbox_step_exec[];

/*
 * Runs argv[0] under the sandbox until it exits. On success returns 0 and
 * sets *status to the guest's exit status (128 + signal when killed).
 * Returns -errno on failure, with *what naming the step that failed.
 */
int sandbox_run(const struct sandbox_options *o, int *status, const char **what);

/* Prints the syscall table (name, trap, support, note) to stdout. */
void sandbox_print_syscalls(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Internal: a guest thread as the kcov device sees it, and the per kernel
 * thread state the trace-mode hooks read (lib/trace.c).
 */
#ifndef UKCOV_LIB_TASK_H
#define UKCOV_LIB_TASK_H

#include <stdbool.h>
#include <stdint.h>

/* What the hooks write for a task (Linux's t->kcov_mode). */
enum ukcov_tmode {
	UKCOV_TMODE_NONE,   /* nothing (also: the task's kcov is in remote mode) */
	UKCOV_TMODE_PC,     /* PCs, in order, with duplicates */
	UKCOV_TMODE_CMP,    /* comparison records */
};

struct ukcov_task {
	struct ukcov_kcov *kcov;  /* the kcov this thread collects into, or NULL */
	/*
	 * Counter mode: set on ENABLE when the flags may hold what the kernel
	 * did for other threads while no kcov was enabled anywhere (flushes are
	 * skipped then): the next flush of this task discards instead.
	 */
	bool discard;
	/* The common remote handle (0: none), inherited by tasks it creates. */
	uint64_t handle;
	/*
	 * Trace mode, read by the hooks on the kernel thread serving the task:
	 * the trace (count at area[0], size words) and, in unique mode, the
	 * bitmap in front of it.
	 */
	enum ukcov_tmode tmode;
	volatile uint64_t *area;
	uint64_t size;
	volatile uint64_t *bitmap;
	uint64_t nbits;
};

/*
 * Per kernel thread: the task being served (ukcov_task_enter()), and the
 * same pointer split by what it collects, so that each hook tests one
 * pointer (one predictable branch when nobody on this thread traces).
 */
#define UKCOV_TLS __thread __attribute__((tls_model("initial-exec")))
extern UKCOV_TLS struct ukcov_task *ukcov_tls_task;
extern UKCOV_TLS struct ukcov_task *ukcov_tls_pc;
extern UKCOV_TLS struct ukcov_task *ukcov_tls_cmp;

/*
 * Trace mode with whole-run coverage (cumulative.c): the task the block hook
 * sees when nobody traces, which only marks blocks; NULL without it.
 */
extern struct ukcov_task *ukcov_pc_idle;

/* Points the hooks of this kernel thread at `t` (NULL: nobody), as its tmode says. */
static inline void ukcov_trace_point(struct ukcov_task *t)
{
	ukcov_tls_task = t;
	ukcov_tls_pc = t && t->tmode == UKCOV_TMODE_PC ? t : ukcov_pc_idle;
	ukcov_tls_cmp = t && t->tmode == UKCOV_TMODE_CMP ? t : NULL;
}

/* After t's collection state changed: the hooks follow if t is this thread's current task. */
static inline void ukcov_trace_sync(struct ukcov_task *t)
{
	if (ukcov_tls_task == t)
		ukcov_trace_point(t);
}

#endif

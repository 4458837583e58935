// SPDX-License-Identifier: MIT
/* The kcov of a script's fork child: see child.h. */
#include <fcntl.h>
#include <linux/kcov.h>
#include <sys/ioctl.h>

#include "child.h"

/* a child's calls are a few lines of a script: a smaller area than the parent's */
#define CHILD_WORDS (1u << 16)

void fz_child_kcov_start(void *ctx)
{
	struct fz_child_kcov *c = ctx;

	/* the parent's kcov fd is inherited but stays the parent's (EBUSY here) */
	c->on = fz_kcov_open(&c->k, CHILD_WORDS) == 0 && fz_kcov_enable(&c->k, c->cmp != NULL) == 0;
}

void fz_exec_kcov_open(void *ctx)
{
	struct fz_child_kcov *c = ctx;

	/*
	 * Opened with the parent's own kcov disabled: every so many opens, the
	 * supervisor looks for instances no process holds any more
	 * (kcovfs.c's garbage collection), which would count in the parent's
	 * coverage of one input in many. Disabled and enabled again, the
	 * parent's area keeps what it collected.
	 */
	if (c->parent)
		ioctl(c->parent->fd, KCOV_DISABLE, 0);
	/*
	 * Inherited across the exec, not closed by it: the child's close would
	 * be seen while the exec'd program runs and charged to its next call,
	 * or not, as the supervisor happens to be busy. Its copy closes with
	 * its exit, while the parent waits, and the parent's own in
	 * fz_exec_kcov_close(): the same coverage every run.
	 */
	c->on = fz_kcov_open(&c->k, CHILD_WORDS) == 0 && fcntl(c->k.fd, F_SETFD, 0) == 0;
	if (!c->on && c->k.fd >= 0)
		fz_kcov_close(&c->k);
	if (c->parent)
		ioctl(c->parent->fd, KCOV_ENABLE, c->cmp ? KCOV_TRACE_CMP : KCOV_TRACE_PC);
}

void fz_exec_kcov_enable(void *ctx)
{
	struct fz_child_kcov *c = ctx;

	if (c->on)
		fz_kcov_enable(&c->k, c->cmp != NULL);
}

void fz_exec_kcov_close(void *ctx)
{
	struct fz_child_kcov *c = ctx;

	if (!c->on)
		return;
	fz_child_kcov_end(c);
	fz_kcov_close(&c->k);
}

void fz_child_kcov_end(void *ctx)
{
	struct fz_child_kcov *c = ctx;

	if (!c->on)
		return;
	if (c->cmp)
		fz_kcov_feed_cmp(&c->k, c->cmp);
	else
		fz_kcov_feed(&c->k, c->map, c->edges);
	c->on = 0;
}

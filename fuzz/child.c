// SPDX-License-Identifier: MIT
/* The kcov of a script's fork child: see child.h. */
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

	c->on = fz_kcov_open(&c->k, CHILD_WORDS) == 0;
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

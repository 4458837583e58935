/* SPDX-License-Identifier: MIT */
/*
 * The kcov of a script's `fork` child: Linux's kcov is per task, and a
 * forked child starts without it, so the child opens and enables one of
 * its own and folds what it collected into AFL++'s map (shared with the
 * forkserver and afl-fuzz) before it exits, the way the parent does.
 */
#ifndef UKCOV_FUZZ_CHILD_H
#define UKCOV_FUZZ_CHILD_H

#include "afl.h"

struct fz_child_kcov {
	unsigned char *map;     /* AFL++'s map, mapped before the fork */
	struct fz_cmp_map *cmp; /* or its CmpLog map (the parent's mode) */
	int edges;
	int on;                 /* this child's kcov is open and enabled */
	struct fz_kcov k;
	const struct fz_kcov *parent; /* an exec's: the kcov of the process that opens it */
};

/* the fsscript hooks (fsi_child_hooks): @ctx is a struct fz_child_kcov */
void fz_child_kcov_start(void *ctx);
void fz_child_kcov_end(void *ctx);
/*
 * An exec operation's child: the kcov is opened and mapped in the parent,
 * enabled in the child before its execve, and what the exec'd program's
 * calls covered (the exec itself, a script's interpreter, its loader) is
 * folded into the map by the parent once the child is reaped.
 */
void fz_exec_kcov_open(void *ctx);
void fz_exec_kcov_enable(void *ctx);
void fz_exec_kcov_close(void *ctx);

#endif

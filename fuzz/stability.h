/* SPDX-License-Identifier: MIT */
/*
 * The guest's --stability=N mode (stability.c): each input N times in one
 * persistent child, and the map bytes whose AFL++ hit-count buckets differ
 * between the runs of one input, with the PCs behind them.
 */
#ifndef UKCOV_FUZZ_STABILITY_H
#define UKCOV_FUZZ_STABILITY_H
#include <stdio.h>

struct fz_kcov;

/* room for @executions executions' kcov areas, shared with the children; 0 or -1 */
int stab_init(int executions);
/* in the child: the number of the execution that starts, counted over the children; -1 when off */
int stab_next(void);
/* in the child: execution @exec's area (after fz_kcov_disable) */
void stab_record(int exec, const struct fz_kcov *k);
/*
 * Execution r * ninputs + i is input i's run r. Prints, per input, the map
 * bytes that vary and their PCs (counter mode), then a summary line;
 * returns the number of varying bytes over all inputs, or -1.
 */
int stab_report(FILE *out, char *const *inputs, int ninputs, int runs, int edges);
#endif

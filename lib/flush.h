/* SPDX-License-Identifier: MIT */
/* Internal: the counter-mode flush (scan the bool flags, report, clear). */
#ifndef UKCOV_LIB_FLUSH_H
#define UKCOV_LIB_FLUSH_H

#include <stdbool.h>
#include "area.h"

/*
 * Reports every block whose flag is set into `w` (NULL: discard) and clears
 * the flags. With `full_scan` false, functions whose entry flag is clear are
 * skipped (see ukcov_task_return_to_user()).
 */
void ukcov_flush(struct ukcov_area_writer *w, bool full_scan);
/*
 * For bench/flush.c, which compares the two scans: 0 lets ukcov_flush()
 * choose, 1 forces whole lines, 2 entry-skip (where it is valid).
 */
extern int ukcov_flush_force;

extern uint64_t ukcov_stat_flushes, ukcov_stat_functions_scanned;
/* Whole-run coverage: a byte per block once ukcov_cumulative_enable() ran, else NULL. */
extern uint8_t *ukcov_cumulative;

#endif

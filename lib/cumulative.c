// SPDX-License-Identifier: MIT
/*
 * Whole-run coverage, as gVisor's coverage report gives it: every block that
 * ran during the run, for any task or for none (`ukcov run --coverage`).
 * A byte per block, set where the mode already looks at each block: counter
 * mode's flush marks every flag it finds (reported or discarded), and the
 * flags no flush took yet are collected at the end; trace mode's block hook,
 * which with it on sees a marking-only task whenever nobody traces
 * (ukcov_pc_idle). Nothing of it runs unless enabled: the flush tests one
 * pointer per block it finds, the hooks nothing more than before.
 *
 * Built without instrumentation, like the rest of libukcov.
 */
#include <errno.h>
#include <stdlib.h>

#include <ukcov/ukcov.h>

#include "blocks.h"
#include "flush.h"
#include "task.h"

static struct ukcov_task pc_idle_task = { .tmode = UKCOV_TMODE_PC };
struct ukcov_task *ukcov_pc_idle;

int ukcov_cumulative_enable(void)
{
	if (ukcov_cumulative)
		return 0;
	ukcov_cumulative = calloc(ukcov_blocks.nblocks ? ukcov_blocks.nblocks : 1, 1);
	if (!ukcov_cumulative)
		return -ENOMEM;
	if (ukcov_blocks.trace) {
		ukcov_pc_idle = &pc_idle_task;
		/* This kernel thread from now on; others at their next ukcov_task_enter(). */
		if (!ukcov_tls_pc)
			ukcov_tls_pc = ukcov_pc_idle;
	}
	return 0;
}

size_t ukcov_cumulative_foreach(void (*fn)(size_t index, void *arg), void *arg)
{
	size_t n = 0;

	if (!ukcov_cumulative)
		return 0;
	/* Counter mode: what ran since the last flush is still in the flags. */
	if (!ukcov_blocks.trace)
		ukcov_flush(NULL, true);
	for (size_t i = 0; i < ukcov_blocks.nblocks; i++)
		if (ukcov_cumulative[i]) {
			fn(i, arg);
			n++;
		}
	return n;
}

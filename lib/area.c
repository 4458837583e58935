// SPDX-License-Identifier: MIT
#include <stddef.h>

#include "area.h"

void ukcov_area_open(struct ukcov_area_writer *w, volatile uint64_t *area, uint64_t size)
{
	w->area = area;
	w->size = size;
	w->count = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	w->written = 0;
	w->dropped = 0;
	w->bitmap = NULL;
	w->nbits = 0;
}

void ukcov_area_close(struct ukcov_area_writer *w)
{
	if (!w->written)
		return;
	/*
	 * Release: paired with the guest's load of area[0] (an acquire on x86-64
	 * by TSO) before it reads entries 1..count, possibly from another thread.
	 */
	__atomic_store_n(&w->area[0], w->count, __ATOMIC_RELEASE);
}

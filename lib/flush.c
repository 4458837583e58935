// SPDX-License-Identifier: MIT
/*
 * Counter mode: the instrumented code sets one byte per block
 * (-fsanitize-coverage=inline-bool-flag: `if (!flag) flag = 1`, which cannot
 * wrap as 8-bit counters do). At each return to user space the set flags of
 * the functions that ran are turned into synthetic PCs and cleared.
 *
 * Cost is O(functions) for the entry-flag check plus O(blocks of the
 * functions that ran), scanned eight flags at a time.
 */
#include <string.h>

#include <ukcov/ukcov.h>

#include "blocks.h"
#include "flush.h"

uint64_t ukcov_stat_flushes, ukcov_stat_functions_scanned;

uint8_t *ukcov_cumulative;

static inline void report(struct ukcov_area_writer *w, uint32_t index)
{
	if (ukcov_blocks.selected && !ukcov_blocks.selected[index])
		return;
	/* Whole-run coverage (cumulative.c): every block a flush finds, reported or discarded. */
	if (ukcov_cumulative)
		ukcov_cumulative[index] = 1;
	if (!w)
		return;
	if (w->bitmap && !ukcov_bitmap_test_and_set(w->bitmap, w->nbits, ukcov_unique_index(index)))
		return;
	ukcov_area_put(w, ukcov_pc_of_index(index));
}

static void flush_word(struct ukcov_area_writer *w, uint8_t *p, uint32_t index)
{
	uint64_t word;

	memcpy(&word, p, sizeof(word));
	if (!word)
		return;
	memset(p, 0, sizeof(word));
	while (word) {
		unsigned int byte = (unsigned int)__builtin_ctzll(word) / 8;

		report(w, index + byte);
		word &= ~(0xffull << (byte * 8));
	}
}

static void flush_function(struct ukcov_area_writer *w, const struct ukcov_func *f)
{
	uint8_t *flags = f->flags;
	uint32_t i = 0, n = f->nblocks;

	/* Blocks are reported in code order, entry first, as a trace would start. */
	for (; i < n && ((uintptr_t)(flags + i) & 7); i++) {
		if (flags[i]) {
			flags[i] = 0;
			report(w, f->first + i);
		}
	}
	for (; i + 8 <= n; i += 8)
		flush_word(w, flags + i, f->first + i);
	for (; i < n; i++) {
		if (flags[i]) {
			flags[i] = 0;
			report(w, f->first + i);
		}
	}
}

/*
 * A full scan without a filter reads each module's flags as one array, eight
 * at a time: no per-function work, so it costs about a byte loop's eighth.
 */
static void flush_modules(struct ukcov_area_writer *w)
{
	const struct ukcov_block_table *bt = &ukcov_blocks;

	for (uint32_t m = 0; m < bt->nmodules; m++) {
		const struct ukcov_module *mod = &bt->modules[m];
		struct ukcov_func all = { .flags = mod->flags, .first = mod->first,
					  .nblocks = mod->nblocks };

		flush_function(w, &all);
	}
}

void ukcov_flush(struct ukcov_area_writer *w, bool full_scan)
{
	const struct ukcov_block_table *bt = &ukcov_blocks;

	/* Trace mode has no flags: the hooks wrote as the code ran. */
	if (bt->trace)
		return;
	ukcov_stat_flushes++;
	if (full_scan && !bt->selected) {
		flush_modules(w);
		return;
	}
	for (uint32_t a = 0; a < bt->nactive; a++) {
		const struct ukcov_func *f = &bt->funcs[bt->active[a]];

		/*
		 * An entry flag that is clear means the function did not run since
		 * the last flush: the flush is only ever called with no
		 * instrumented frame on the stack, so no function can have set a
		 * later block without passing its entry since then.
		 */
		if (!full_scan && !f->flags[0])
			continue;
		ukcov_stat_functions_scanned++;
		flush_function(w, f);
	}
}

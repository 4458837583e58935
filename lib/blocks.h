/* SPDX-License-Identifier: MIT */
/* Internal: the block table built from SanitizerCoverage's module hooks. */
#ifndef UKCOV_LIB_BLOCKS_H
#define UKCOV_LIB_BLOCKS_H

#include <stdbool.h>
#include <stdint.h>

/* One instrumented function: its blocks are contiguous, the entry block first. */
struct ukcov_func {
	uint8_t *flags;   /* flag of the entry block; the others follow */
	uint32_t first;   /* table index of the entry block */
	uint32_t nblocks;
};

struct ukcov_module {
	uint8_t *flags;          /* one inline-bool-flag per block */
	const uintptr_t *pcs;    /* {pc, flags} pairs, same order as flags */
	uint32_t nblocks;
	uint32_t first;          /* table index of block 0 */
	uint32_t first_func;
	uint32_t nfuncs;
};

struct ukcov_block_table {
	struct ukcov_module *modules;
	uint32_t nmodules;
	uint32_t nblocks;
	struct ukcov_func *funcs;
	uint32_t nfuncs;
	/* The functions a flush scans: all of them, or those the filter selects. */
	uint32_t *active;
	uint32_t nactive;
	/* Per-block selection, NULL when every block is reported. */
	bool *selected;
	/*
	 * Trace mode: the modules were built with trace-pc-guard (+ trace-cmp)
	 * and have no flags; each guard holds its block's table index + 1.
	 */
	bool trace;
	/*
	 * Unique mode: the bitmap position of each block (0: none yet), given
	 * the first time the block runs for a task in unique mode, from 1 as
	 * Linux's init_pc_guard() gives them (bit 0 stays unused).
	 */
	uint32_t *uniq;
	/* Blocks sorted by address: the block of a comparison's call site. */
	struct ukcov_block_addr *by_addr;
	uint32_t naddr;
};

struct ukcov_block_addr {
	uintptr_t addr;
	uint32_t index;
};

/* Table index of the instrumented block whose code holds `addr` (the nearest at or below). */
uint32_t ukcov_block_of_addr(uintptr_t addr);

/* The table of this process. Mutated only by module constructors and ukcov_set_block_filter(). */
extern struct ukcov_block_table ukcov_blocks;

/* Bitmap position (from 1) of block `index` for unique mode (assigned on first use, kept for good). */
uint32_t ukcov_unique_index_slow(uint32_t index);
static inline uint32_t ukcov_unique_index(uint32_t index)
{
	uint32_t v = __atomic_load_n(&ukcov_blocks.uniq[index], __ATOMIC_RELAXED);

	return __builtin_expect(v != 0, 1) ? v : ukcov_unique_index_slow(index);
}

#endif

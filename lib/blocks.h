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
};

/* The table of this process. Mutated only by module constructors and ukcov_set_block_filter(). */
extern struct ukcov_block_table ukcov_blocks;

#endif

// SPDX-License-Identifier: MIT
/*
 * The block table: SanitizerCoverage calls the two hooks below once per
 * instrumented module (DSO) from that module's constructor, flags first, then
 * the PC table. Blocks get table indices in registration order, which is the
 * link order of the binary and therefore the same on every run; the synthetic
 * PC is a function of the index alone (see ukcov.h).
 *
 * This file is built without instrumentation, like Linux's kernel/kcov.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ukcov/ukcov.h>

#include "blocks.h"

struct ukcov_block_table ukcov_blocks;

/* PC-table flag of a function's entry block (compiler-rt's PCFlags). */
#define SANCOV_PC_FLAG_FUNC_ENTRY 1u

/*
 * Flags registered by __sanitizer_cov_bool_flag_init() and waiting for the
 * same module's __sanitizer_cov_pcs_init().
 */
static uint8_t *pending_flags;
static size_t pending_nflags;
/* The same for trace mode: guards from __sanitizer_cov_trace_pc_guard_init(). */
static uint32_t *pending_guards;

static uint32_t unique_next;

uint32_t ukcov_unique_index_slow(uint32_t index)
{
	uint32_t *slot = &ukcov_blocks.uniq[index];
	uint32_t v = __atomic_load_n(slot, __ATOMIC_RELAXED), mine;

	if (__builtin_expect(v != 0, 1))
		return v;
	/*
	 * First run of this block in unique mode: take the next position. Two
	 * kernel threads may race here; the loser's position is wasted (as a
	 * hole in the bitmap), never given to two blocks.
	 */
	mine = __atomic_add_fetch(&unique_next, 1, __ATOMIC_RELAXED);
	if (__atomic_compare_exchange_n(slot, &v, mine, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return mine;
	return v;
}

static int addr_cmp(const void *a, const void *b)
{
	const struct ukcov_block_addr *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

uint32_t ukcov_block_of_addr(uintptr_t addr)
{
	const struct ukcov_block_addr *v = ukcov_blocks.by_addr;
	uint32_t lo = 0, hi = ukcov_blocks.naddr;

	if (!hi || addr < v[0].addr)
		return 0;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return v[lo].index;
}

/*
 * The per-block arrays of unique mode (4 bytes a block) and, for trace mode's
 * comparisons only, the blocks by address (16 more): counter mode keeps
 * ~5 bytes of metadata per block (with the functions'), which a 1M-block
 * kernel notices.
 */
static int block_arrays_add(const uintptr_t *pcs, uint32_t n, bool trace)
{
	struct ukcov_block_table *bt = &ukcov_blocks;
	uint32_t total = bt->nblocks + n;
	struct ukcov_block_addr *a;
	uint32_t *u;

	u = realloc(bt->uniq, total * sizeof(*u));
	if (!u)
		return -ENOMEM;
	bt->uniq = u;
	memset(u + bt->nblocks, 0, n * sizeof(*u));
	if (!trace)
		return 0;
	a = realloc(bt->by_addr, (bt->naddr + n) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	bt->by_addr = a;
	for (uint32_t i = 0; i < n; i++)
		a[bt->naddr + i] = (struct ukcov_block_addr){ pcs[2 * i], bt->nblocks + i };
	bt->naddr += n;
	qsort(a, bt->naddr, sizeof(*a), addr_cmp);
	return 0;
}

static int funcs_reserve(uint32_t more)
{
	struct ukcov_func *f;
	uint32_t *a;

	f = realloc(ukcov_blocks.funcs, (ukcov_blocks.nfuncs + more) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	ukcov_blocks.funcs = f;
	a = realloc(ukcov_blocks.active, (ukcov_blocks.nfuncs + more) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	ukcov_blocks.active = a;
	return 0;
}

static int module_add(uint8_t *flags, const uintptr_t *pcs, uint32_t n, bool trace)
{
	struct ukcov_block_table *bt = &ukcov_blocks;
	struct ukcov_module *m;
	uint32_t nentries = 0;

	for (uint32_t i = 0; i < n; i++)
		if (i == 0 || (pcs[2 * i + 1] & SANCOV_PC_FLAG_FUNC_ENTRY))
			nentries++;
	m = realloc(bt->modules, (bt->nmodules + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	bt->modules = m;
	if (funcs_reserve(nentries) || block_arrays_add(pcs, n, trace))
		return -ENOMEM;
	m = &bt->modules[bt->nmodules];
	*m = (struct ukcov_module){ .flags = flags, .pcs = pcs, .nblocks = n,
				    .first = bt->nblocks, .first_func = bt->nfuncs };
	for (uint32_t i = 0; i < n; i++) {
		struct ukcov_func *f;

		if (i != 0 && !(pcs[2 * i + 1] & SANCOV_PC_FLAG_FUNC_ENTRY)) {
			bt->funcs[bt->nfuncs - 1].nblocks++;
			continue;
		}
		f = &bt->funcs[bt->nfuncs];
		*f = (struct ukcov_func){ .flags = flags ? flags + i : NULL, .first = bt->nblocks + i, .nblocks = 1 };
		if (!bt->selected)
			bt->active[bt->nactive++] = bt->nfuncs;
		bt->nfuncs++;
	}
	m->nfuncs = bt->nfuncs - m->first_func;
	bt->nblocks += n;
	bt->nmodules++;
	return 0;
}

/*
 * Called by the compiler-generated module constructor. A module that cannot
 * be registered (out of memory, or too many blocks for unique synthetic PCs)
 * is left out whole; its flags are then never read, which costs nothing but
 * its coverage.
 */
__attribute__((visibility("default"))) void __sanitizer_cov_bool_flag_init(bool *start, bool *end)
{
	if (start == end)
		return;
	pending_flags = (uint8_t *)start;
	pending_nflags = (size_t)(end - start);
}

/*
 * Trace mode (-fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp). The
 * hook may be called more than once for a module: its guards are then
 * already numbered.
 */
__attribute__((visibility("default"))) void __sanitizer_cov_trace_pc_guard_init(uint32_t *start,
									      uint32_t *stop)
{
	if (start == stop || *start)
		return;
	pending_guards = start;
	pending_nflags = (size_t)(stop - start);
}

__attribute__((visibility("default"))) void __sanitizer_cov_pcs_init(const uintptr_t *beg,
								   const uintptr_t *end)
{
	size_t n = (size_t)(end - beg) / 2;
	uint32_t first = ukcov_blocks.nblocks;

	if ((!pending_flags && !pending_guards) || n != pending_nflags ||
	    ukcov_blocks.nblocks + n > UKCOV_MAX_BLOCKS)
		goto out;
	if (module_add(pending_flags, beg, (uint32_t)n, pending_guards != NULL))
		goto out;
	if (pending_guards) {
		/*
		 * A guard holds its block's index + 1, so the hook turns it into
		 * the synthetic PC with no lookup; 0 (a module left out) is skipped.
		 */
		for (size_t i = 0; i < n; i++)
			pending_guards[i] = first + (uint32_t)i + 1;
		ukcov_blocks.trace = true;
	}
out:
	pending_flags = NULL;
	pending_guards = NULL;
}

enum ukcov_mode ukcov_mode(void)
{
	return ukcov_blocks.trace ? UKCOV_MODE_TRACE : UKCOV_MODE_COUNTERS;
}

size_t ukcov_block_count(void)
{
	return ukcov_blocks.nblocks;
}

size_t ukcov_function_count(void)
{
	return ukcov_blocks.nfuncs;
}

static const struct ukcov_module *module_of(uint32_t index)
{
	/* Modules are few (one per instrumented DSO); a linear walk is the O(1) here. */
	for (uint32_t i = 0; i < ukcov_blocks.nmodules; i++) {
		const struct ukcov_module *m = &ukcov_blocks.modules[i];

		if (index - m->first < m->nblocks)
			return m;
	}
	return NULL;
}

static uint32_t function_of(const struct ukcov_module *m, uint32_t index)
{
	uint32_t lo = m->first_func, hi = m->first_func + m->nfuncs;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ukcov_blocks.funcs[mid].first <= index)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int ukcov_block_at(size_t index, struct ukcov_block *out)
{
	const struct ukcov_module *m;
	uint32_t i;

	if (index >= ukcov_blocks.nblocks)
		return -ENOENT;
	m = module_of((uint32_t)index);
	if (!m)
		return -ENOENT;
	i = (uint32_t)index - m->first;
	*out = (struct ukcov_block){
		.pc = ukcov_pc_of_index(index),
		.addr = m->pcs[2 * i],
		.module = (uint32_t)(m - ukcov_blocks.modules),
		.function = function_of(m, (uint32_t)index),
		.entry = i == 0 || (m->pcs[2 * i + 1] & SANCOV_PC_FLAG_FUNC_ENTRY),
	};
	return 0;
}

int ukcov_block_lookup(uint64_t pc, struct ukcov_block *out)
{
	uint64_t off = pc - UKCOV_PC_BASE;

	if (pc < UKCOV_PC_BASE || off % UKCOV_PC_STRIDE)
		return -ENOENT;
	return ukcov_block_at(off / UKCOV_PC_STRIDE, out);
}

int ukcov_set_block_filter(const bool *mask)
{
	struct ukcov_block_table *bt = &ukcov_blocks;
	bool *sel = NULL;

	if (mask) {
		sel = malloc(bt->nblocks ? bt->nblocks : 1);
		if (!sel)
			return -ENOMEM;
		memcpy(sel, mask, bt->nblocks);
	}
	free(bt->selected);
	bt->selected = sel;
	bt->nactive = 0;
	for (uint32_t f = 0; f < bt->nfuncs; f++) {
		const struct ukcov_func *fn = &bt->funcs[f];
		bool any = !sel;

		for (uint32_t b = 0; !any && b < fn->nblocks; b++)
			any = sel[fn->first + b];
		if (any)
			bt->active[bt->nactive++] = f;
	}
	return 0;
}

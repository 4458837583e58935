// SPDX-License-Identifier: MIT
/*
 * Trace mode: the hooks of -fsanitize-coverage=trace-pc-guard,trace-cmp, as
 * Linux's __sanitizer_cov_trace_pc() and write_comp_data() (kernel/kcov.c).
 * Each hook first loads one thread-local pointer, which is NULL unless the
 * task this kernel thread serves collects that kind of record: work done for
 * nobody costs one predictable branch per block.
 *
 * The area is guest memory: the count is read once per record, bounded, and
 * stored before the entry (Linux's order, so that a record interrupted
 * half-way is never overwritten by the next); nothing is written outside
 * [area, area + size).
 *
 * Built without instrumentation, like kcov.c itself.
 */
#include <stdint.h>

#include <ukcov/ukcov.h>

#include "area.h"
#include "blocks.h"
#include "flush.h"
#include "task.h"

UKCOV_TLS struct ukcov_task *ukcov_tls_task;
UKCOV_TLS struct ukcov_task *ukcov_tls_pc;
UKCOV_TLS struct ukcov_task *ukcov_tls_cmp;

#define HOOK __attribute__((visibility("default")))
#define barrier() __asm__ __volatile__("" ::: "memory")

static void trace_pc(struct ukcov_task *t, uint32_t guard)
{
	volatile uint64_t *area = t->area;
	uint32_t index = guard - 1;
	uint64_t pos;

	/* Guard 0: a module that could not be registered. */
	if (!guard || (ukcov_blocks.selected && !ukcov_blocks.selected[index]))
		return;
	if (ukcov_cumulative) {
		ukcov_cumulative[index] = 1;
		if (t == ukcov_pc_idle)
			return;
	}
	if (t->bitmap && !ukcov_bitmap_test_and_set(t->bitmap, t->nbits, ukcov_unique_index(index)))
		return;
	pos = area[0] + 1;
	if (__builtin_expect(pos < t->size, 1)) {
		area[0] = pos;
		barrier();
		/* A count of ~0 gives pos 0, as on Linux: the PC lands in area[0]. */
		area[pos] = ukcov_pc_of_index(index);
	}
}

HOOK void __sanitizer_cov_trace_pc_guard(uint32_t *guard)
{
	struct ukcov_task *t = ukcov_tls_pc;

	if (__builtin_expect(t == NULL, 1))
		return;
	trace_pc(t, *guard);
}

/*
 * The block of a call site, through a small per kernel thread cache in
 * front of the binary search (comparisons repeat in loops).
 */
#define IP_CACHE 256
static UKCOV_TLS struct { uintptr_t ret; uint32_t index; } ip_cache[IP_CACHE];

static uint32_t block_of_call(uintptr_t ret)
{
	unsigned int slot = (unsigned int)(ret ^ (ret >> 8)) % IP_CACHE;

	if (ip_cache[slot].ret != ret) {
		ip_cache[slot].index = ukcov_block_of_addr(ret - 1);
		ip_cache[slot].ret = ret;
	}
	return ip_cache[slot].index;
}

/*
 * One record {type, arg1, arg2, ip}. `ip` is the synthetic PC of the
 * instrumented block holding the call site (the nearest block at or below
 * the return address), so that it symbolizes like the trace's PCs.
 */
static void write_comp_data(struct ukcov_task *t, uint64_t type, uint64_t arg1, uint64_t arg2,
			    uintptr_t ret)
{
	volatile uint64_t *area = t->area;
	uint64_t count = area[0], start;
	uint32_t index;

	/* Whole records only; a huge count cannot wrap the arithmetic (Linux's would). */
	if (__builtin_expect(count >= (t->size - 1) / 4, 0))
		return;
	index = block_of_call(ret);
	if (ukcov_blocks.selected && !ukcov_blocks.selected[index])
		return;
	start = 1 + count * 4;
	area[0] = count + 1;
	barrier();
	area[start] = type;
	area[start + 1] = arg1;
	area[start + 2] = arg2;
	area[start + 3] = ukcov_pc_of_index(index);
}

#define RET_IP ((uintptr_t)__builtin_return_address(0))
#define CMP_HOOK(name, type_t, kind)                                                 \
	HOOK void name(type_t arg1, type_t arg2)                                     \
	{                                                                            \
		struct ukcov_task *t = ukcov_tls_cmp;                                \
                                                                                     \
		if (__builtin_expect(t == NULL, 1))                                  \
			return;                                                      \
		write_comp_data(t, kind, arg1, arg2, RET_IP);                        \
	}

/* KCOV_CMP_SIZE(log2 bytes); the const variants have the constant in arg1 (clang puts it there). */
CMP_HOOK(__sanitizer_cov_trace_cmp1, uint8_t, UKCOV_KCOV_CMP_SIZE(0))
CMP_HOOK(__sanitizer_cov_trace_cmp2, uint16_t, UKCOV_KCOV_CMP_SIZE(1))
CMP_HOOK(__sanitizer_cov_trace_cmp4, uint32_t, UKCOV_KCOV_CMP_SIZE(2))
CMP_HOOK(__sanitizer_cov_trace_cmp8, uint64_t, UKCOV_KCOV_CMP_SIZE(3))
CMP_HOOK(__sanitizer_cov_trace_const_cmp1, uint8_t, UKCOV_KCOV_CMP_SIZE(0) | UKCOV_KCOV_CMP_CONST)
CMP_HOOK(__sanitizer_cov_trace_const_cmp2, uint16_t, UKCOV_KCOV_CMP_SIZE(1) | UKCOV_KCOV_CMP_CONST)
CMP_HOOK(__sanitizer_cov_trace_const_cmp4, uint32_t, UKCOV_KCOV_CMP_SIZE(2) | UKCOV_KCOV_CMP_CONST)
CMP_HOOK(__sanitizer_cov_trace_const_cmp8, uint64_t, UKCOV_KCOV_CMP_SIZE(3) | UKCOV_KCOV_CMP_CONST)

/*
 * cases[0] = number of case values, cases[1] = width in bits, then the
 * values: one const record per case, {type, case value, val, ip}, as Linux.
 */
HOOK void __sanitizer_cov_trace_switch(uint64_t val, uint64_t *cases)
{
	struct ukcov_task *t = ukcov_tls_cmp;
	uint64_t type = UKCOV_KCOV_CMP_CONST;
	uintptr_t ret = RET_IP;

	if (__builtin_expect(t == NULL, 1))
		return;
	switch (cases[1]) {
	case 8: type |= UKCOV_KCOV_CMP_SIZE(0); break;
	case 16: type |= UKCOV_KCOV_CMP_SIZE(1); break;
	case 32: type |= UKCOV_KCOV_CMP_SIZE(2); break;
	case 64: type |= UKCOV_KCOV_CMP_SIZE(3); break;
	default: return;
	}
	for (uint64_t i = 0; i < cases[0]; i++)
		write_comp_data(t, type, cases[i + 2], val, ret);
}

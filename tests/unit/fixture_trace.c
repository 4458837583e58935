// SPDX-License-Identifier: MIT
/* Trace-mode fixture: comparisons with known constants and a switch. */
#include "fixture_trace.h"

/* Per thread: two kernel threads run these at once (test_two_kernel_threads). */
static _Thread_local volatile int sink;

int fixture_cmp(uint32_t x)
{
	if (x == 0xfeedbeefu)
		sink = 1;
	return sink;
}

int fixture_switch(uint64_t x)
{
	switch (x) {
	case 11: sink = 1; break;
	case 222: sink = 2; break;
	case 3333: sink = 3; break;
	default: sink = 4; break;
	}
	return sink;
}

int fixture_path(int depth)
{
	/* A loop: the same blocks repeat in the trace, as a path walk's do. */
	for (int i = 0; i < depth; i++)
		sink += i;
	return sink;
}

int fixture_a(void)
{
	sink = 1;
	return sink;
}

int fixture_b(int x)
{
	if (x & 1)
		sink = 2;
	return sink;
}

/* Over a hundred blocks: more than a one-word (64-bit) unique bitmap holds. */
int fixture_wide(int x)
{
#define W(i) if (x > i) sink = i;
#define W10(i) W(i##0) W(i##1) W(i##2) W(i##3) W(i##4) W(i##5) W(i##6) W(i##7) W(i##8) W(i##9)
	W10(1) W10(2) W10(3) W10(4) W10(5) W10(6) W10(7) W10(8) W10(9)
#undef W10
#undef W
	return sink;
}

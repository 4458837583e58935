// SPDX-License-Identifier: MIT
/* Trace-mode fixture: comparisons with known constants and a switch. */
#include "fixture_trace.h"

static volatile int sink;

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

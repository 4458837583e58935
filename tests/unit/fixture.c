// SPDX-License-Identifier: MIT
/* An instrumented module for the unit tests: a few functions with known shapes. */
#include "fixture.h"

int fixture_branch(int x)
{
	if (x > 0)
		return 1;
	return -1;
}

int fixture_loop(int n)
{
	volatile int s = 0;

	for (int i = 0; i < n; i++)
		s += i;
	return s;
}

static volatile int sink;

int fixture_many(int x)
{
	/* Many blocks (volatile stores cannot be if-converted), so the scan reads full words. */
	if (x & 1)
		sink = 0;
	if (x & 2)
		sink = 1;
	if (x & 4)
		sink = 2;
	if (x & 8)
		sink = 3;
	if (x & 16)
		sink = 4;
	if (x & 32)
		sink = 5;
	if (x & 64)
		sink = 6;
	if (x & 128)
		sink = 7;
	if (x & 256)
		sink = 8;
	if (x & 512)
		sink = 9;
	if (x & 1024)
		sink = 10;
	if (x & 2048)
		sink = 11;
	return sink;
}

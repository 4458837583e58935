/* SPDX-License-Identifier: MIT */
/*
 * The C differential guests' transcript helpers (mmaplock.c, mapsize.c):
 * each prints one line per step, which the test compares with the same
 * guest's lines on Linux's tmpfs (/dev/shm), so results are printed as
 * Linux names them (a number, or -ERRNO).
 */
#ifndef UKCOV_TESTS_TRANSCRIPT_H
#define UKCOV_TESTS_TRANSCRIPT_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PG 4096

/* The directory under test (argv[1]). */
static char dir[4000];

static inline const char *path(const char *name)
{
	static char buf[4200];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* A syscall's result: r, or errno's name when r < 0. */
static inline const char *res(long r)
{
	static char buf[64];

	if (r >= 0)
		snprintf(buf, sizeof(buf), "%ld", r);
	else
		snprintf(buf, sizeof(buf), "-%s", strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return buf;
}

#define SAY(...) (printf(__VA_ARGS__), putchar('\n'), fflush(stdout))

#endif

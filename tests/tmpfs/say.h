/* SPDX-License-Identifier: MIT */
/*
 * A two-sided guest's transcript (two_sides.h compares two of them): say()
 * appends a line to out, e() turns a call's -1 into -errno.
 */
#ifndef UKCOV_SAY_H
#define UKCOV_SAY_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static char out[8192];
static size_t len;

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	len += (size_t)vsnprintf(out + len, sizeof(out) - len, fmt, ap);
	va_end(ap);
}

static long e(long r)
{
	return r < 0 ? -errno : r;
}

#endif

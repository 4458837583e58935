// SPDX-License-Identifier: MIT
/*
 * Fault injection, as Linux's fail-nth (lib/fault-inject.c,
 * should_fail_ex()): a thread arms a counter, and the Nth allocation (or
 * store call) it makes while serving that thread's syscalls fails. The one
 * piece of state of the core is per thread and only a pointer: the caller
 * points it at the counter of the task it serves (tmpfs_fault_arm()) and
 * back at NULL when the call ends, so the core stays free of globals that
 * two mounts or two supervisor threads could share.
 */
#include <stdlib.h>
#include <string.h>

#include "tmpfs_int.h"

static __thread unsigned int *fault_nth;

void tmpfs_fault_arm(unsigned int *nth)
{
	fault_nth = nth;
}

/*
 * should_fail_ex() in task context: a nonzero counter counts down at each
 * site, and the site that takes it to 0 fails. Sites after that (in the same
 * call too) succeed, as on Linux; a counter not used up stays armed for the
 * thread's next calls.
 */
bool tmpfs_should_fail(void)
{
	if (!fault_nth || !*fault_nth)
		return false;
	return --*fault_nth == 0;
}

void *tmpfs_malloc(size_t size)
{
	return tmpfs_should_fail() ? NULL : malloc(size);
}

void *tmpfs_calloc(size_t n, size_t size)
{
	return tmpfs_should_fail() ? NULL : calloc(n, size);
}

void *tmpfs_realloc(void *p, size_t size)
{
	return tmpfs_should_fail() ? NULL : realloc(p, size);
}

char *tmpfs_strdup(const char *s)
{
	return tmpfs_should_fail() ? NULL : strdup(s);
}

char *tmpfs_strndup(const char *s, size_t n)
{
	return tmpfs_should_fail() ? NULL : strndup(s, n);
}

// SPDX-License-Identifier: MIT
/* open(2), openat(2), openat2(2): the sandbox's files are found by path. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>

#include "file.h"
#include "sys.h"

/* "//sys/kernel//debug/kcov" names the same file: collapse repeated slashes. */
static void path_squeeze(char *p)
{
	char *out = p;

	for (char *in = p; *in; in++)
		if (!(in[0] == '/' && in[1] == '/'))
			*out++ = *in;
	*out = '\0';
}

static int64_t open_path(struct sys_call *c, uint64_t upath, int flags)
{
	char path[PATH_MAX];
	long n = guest_read_str(c->tid, path, upath, sizeof(path));

	/* A path we cannot read is no path of ours: the host gives the guest its error. */
	if (n < 0)
		return SYS_CONTINUE;
	path_squeeze(path);
	if (strcmp(path, UKCOV_KCOV_PATH) == 0)
		return kcovfs_open(c, flags);
	return SYS_CONTINUE;
}

/* Implements open(2). */
int64_t sys_open(struct sys_call *c)
{
	return open_path(c, c->args[0], (int)c->args[1]);
}

/* Implements openat(2); only absolute paths can name sandbox files so far. */
int64_t sys_openat(struct sys_call *c)
{
	return open_path(c, c->args[1], (int)c->args[2]);
}

/* Implements openat2(2). */
int64_t sys_openat2(struct sys_call *c)
{
	struct open_how how;

	if (c->args[3] < sizeof(how) || guest_read(c->tid, &how, c->args[2], sizeof(how)))
		return SYS_CONTINUE;
	if (how.flags > INT_MAX)
		return SYS_CONTINUE;
	return open_path(c, c->args[1], (int)how.flags);
}

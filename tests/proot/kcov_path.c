// SPDX-License-Identifier: MIT
/*
 * What the kcov path looks like to a program: the result of open() and
 * stat() of /sys/kernel/debug/kcov (errno names, or "ok"), one a line, for
 * comparing proot without --kcov with upstream proot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	struct stat st;
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	printf("open: %s\n", fd >= 0 ? "ok" : strerrorname_np(errno));
	printf("stat: %s\n", stat("/sys/kernel/debug/kcov", &st) ? strerrorname_np(errno) : "ok");
	return 0;
}

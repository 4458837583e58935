/* SPDX-License-Identifier: MIT */
/*
 * The end of a guest that ran the same steps in a scratch directory of
 * /dev/shm (Linux's tmpfs) and in the mount, each side's transcript in a
 * buffer: the scratch directory removed, the transcripts compared.
 */
#ifndef UKCOV_TWO_SIDES_H
#define UKCOV_TWO_SIDES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0 when Linux's transcript and the mount's are the same; else both printed, 1. */
static inline int two_sides_compare(const char *host, const char *linux_out, const char *mount_out)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", host);
	if (system(cmd))
		printf("could not remove %s\n", host);
	if (strcmp(linux_out, mount_out)) {
		printf("Linux's tmpfs:\n%s\nthe mount:\n%sFAIL\n", linux_out, mount_out);
		return 1;
	}
	return 0;
}

#endif

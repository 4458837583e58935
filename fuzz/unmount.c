// SPDX-License-Identifier: MIT
/*
 * The scratch directories' mounts (scratch.h): what a script mounted below
 * a side's top is unmounted before the scratch is cleaned, on both sides.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "scratch.h"

/* the mount points of /proc/self/mountinfo below @top, in its order (oldest first) */
static int mounts_below(const char *top, char (*pts)[PATH_MAX], int max)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	size_t tl = strlen(top);
	char line[2 * PATH_MAX], pt[PATH_MAX];
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %4095s", pt) == 1 && !strncmp(pt, top, tl) &&
		    pt[tl] == '/')
			memcpy(pts[n++], pt, sizeof(pt));
	fclose(f);
	return n;
}

/*
 * Unmounts everything below T, newest first (a mount on top of another, or
 * inside it, is newer than it), lazily: a file a script left open, or the
 * cwd, does not keep it. Rounds until none is left, as a mount that
 * covered another hid it from the first round: its listed path then ends
 * in nothing (ENOENT) or in a file of the covering tree (ENOTDIR), and a
 * later round reaches it. Returns 0 or -errno.
 */
int scratch_unmount(const struct side *s)
{
	enum { MAX = 64, ROUNDS = 8 };
	static char pts[MAX][PATH_MAX];
	int n = 0;

	/* an unset side's top ("") would take every mount of the namespace with it */
	if (s->top[0] != '/' || !s->top[1])
		return -EINVAL;
	/* as root: a script's su would leave a mount under a directory it cannot search */
	scratch_become_root();
	for (int round = 0; round < ROUNDS; round++) {
		if ((n = mounts_below(s->top, pts, MAX)) <= 0)
			return n;
		while (n-- > 0)
			if (umount2(pts[n], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT &&
			    errno != ENOTDIR)
				return -errno;
	}
	return -EBUSY;
}

/* mount, mountfs, mountbind (a "umount" or "mountinfo" line costs a look at mountinfo) */
int scratch_mounts(const char *script)
{
	return strstr(script, "mount") != NULL;
}

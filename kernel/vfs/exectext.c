// SPDX-License-Identifier: MIT
/*
 * Programs running from mount files. A program exec'd from a mount runs
 * from a sealed copy of the file (syscalls/sys_exec.c); while that copy
 * lives, the file refuses writers with ETXTBSY, as Linux's
 * deny_write_access() keeps an exe file from being written. The copy dies
 * with the last process running it (it exited, or exec'd another program):
 * inotify's IN_IGNORED on it, read with the other file events (release.c),
 * lets the file be written again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>

#include "vfs.h"

struct exectext {
	int wd;
	struct tmpfs_inode *ino;
	struct exectext *next;
};

int exectext_add(struct sandbox *sb, int copy, struct tmpfs_inode *ino)
{
	struct exectext *x = tmpfs_malloc(sizeof(*x));
	char path[64];

	if (!x)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", copy);
	x->wd = files_add_watch(sb, path, IN_DELETE_SELF);
	if (x->wd < 0) {
		free(x);
		return -errno;
	}
	x->ino = ino;
	tmpfs_inode_get(ino);
	tmpfs_inode_deny_write(ino, 1);
	x->next = sb->exectexts;
	sb->exectexts = x;
	sb->nwatches++;
	return 0;
}

bool exectext_release_wd(struct sandbox *sb, int wd)
{
	for (struct exectext **pp = &sb->exectexts; *pp; pp = &(*pp)->next) {
		struct exectext *x = *pp;

		if (x->wd != wd)
			continue;
		*pp = x->next;
		tmpfs_inode_deny_write(x->ino, -1);
		tmpfs_inode_put(x->ino);
		free(x);
		sb->nwatches--;
		return true;
	}
	return false;
}

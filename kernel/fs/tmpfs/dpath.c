// SPDX-License-Identifier: MIT
/*
 * ukcov tmpfs: the path of an object as Linux's d_path() prints it for
 * /proc/PID/cwd and /proc/PID/fd/N: where it is now (renames followed),
 * and, once its last name is gone, where it was, with " (deleted)" after
 * it (added by the caller, which prefixes the mount point).
 *
 * A directory knows its name (dir.self) and parent. Any other object keeps
 * no dentry here, so its name is looked for in the tree (a walk of the
 * mount, for a readlink of an fd link only); with hard links the first
 * name found is printed (Linux prints the one the file was opened by).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpfs_int.h"

/* The entry naming ino, found in a walk of its mount, with its directory in *in. */
static struct tmpfs_dirent *entry_of(struct tmpfs_inode *ino, struct tmpfs_inode **in)
{
	struct tmpfs_inode *root = ino->mnt->root, *d = root;
	struct tmpfs_dirent *de = d->dir.head;

	for (;;) {
		if (!de) {
			/* d is done: on with the entry after it in its parent */
			if (d == root || !d->dir.self || !d->dir.parent)
				return NULL;
			de = d->dir.self->next;
			d = d->dir.parent;
			continue;
		}
		if (de->inode == ino) {
			*in = d;
			return de;
		}
		if (S_ISDIR(de->inode->mode) && de->inode->dir.self == de && de->inode != d) {
			d = de->inode;
			de = d->dir.head;
			continue;
		}
		de = de->next;
	}
}

/* The mount-relative path of entry de of directory dir into buf: its length, or -errno. */
static int entry_path(struct tmpfs_inode *dir, const struct tmpfs_dirent *de, char *buf, size_t len)
{
	int n = tmpfs_dir_path(dir, buf, len);

	if (n < 0)
		return n;
	if (n == 1)
		n = 0; /* the root: "/" + name */
	if ((size_t)n + de->namelen + 2 > len)
		return -ERANGE;
	buf[n++] = '/';
	memcpy(buf + n, de->name, de->namelen + 1);
	return n + (int)de->namelen;
}

void tmpfs_inode_forget_path(struct tmpfs_inode *ino)
{
	free(ino->gone_path);
	ino->gone_path = NULL;
}

void tmpfs_inode_last_name(struct tmpfs_inode *dir, const struct tmpfs_dirent *de)
{
	char buf[4096];
	struct tmpfs_inode *ino = de->inode;

	/* Only an object something still holds can be asked its path. */
	if (ino->refs <= 0 || entry_path(dir, de, buf, sizeof(buf)) < 0)
		return;
	tmpfs_inode_forget_path(ino);
	ino->gone_path = tmpfs_strdup(buf);
}

void tmpfs_inode_tmpfile_path(struct tmpfs_inode *dir, struct tmpfs_inode *ino)
{
	char buf[4096];
	int n = tmpfs_dir_path(dir, buf, sizeof(buf));

	if (n < 0)
		return;
	if (n == 1)
		n = 0; /* the root: "/#INO" */
	if ((size_t)snprintf(buf + n, sizeof(buf) - (size_t)n, "/#%llu",
			     (unsigned long long)tmpfs_inode_ino(ino)) >= sizeof(buf) - (size_t)n)
		return;
	tmpfs_inode_forget_path(ino);
	ino->gone_path = tmpfs_strdup(buf);
}

int tmpfs_inode_path(struct tmpfs_inode *ino, char *buf, size_t len, int *deleted)
{
	struct tmpfs_dirent *de;
	struct tmpfs_inode *in;
	int n;

	*deleted = 0;
	if (S_ISDIR(ino->mode)) {
		n = tmpfs_dir_path(ino, buf, len);
		if (n != -ENOENT)
			return n;
	} else if (ino->nlink && (de = entry_of(ino, &in))) {
		return entry_path(in, de, buf, len);
	}
	if (!ino->gone_path)
		return -ENOENT;
	n = (int)strlen(ino->gone_path);
	if ((size_t)n + 1 > len)
		return -ERANGE;
	memcpy(buf, ino->gone_path, (size_t)n + 1);
	*deleted = 1;
	return n;
}

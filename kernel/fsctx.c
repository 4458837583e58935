// SPDX-License-Identifier: MIT
/*
 * Working directories inside mounts. A process whose cwd is in a mount keeps
 * its host cwd where it was (nothing under a mount exists on the host); the
 * supervisor remembers the mount directory per thread group, as Linux keeps
 * it in the (shared) fs_struct.
 *
 * fork copies the cwd. The supervisor does not see fork itself, so a new
 * process takes its parent's mount cwd at its first lookup: exact unless the
 * parent changed directory between the fork and that lookup.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

static unsigned int bucket(pid_t tgid)
{
	return (unsigned int)tgid % KTASK_BUCKETS;
}

static void fsctx_free(struct sandbox *sb, struct fsctx *fc)
{
	struct fsctx **pp;

	for (pp = &sb->fsctx[bucket(fc->tgid)]; *pp; pp = &(*pp)->next) {
		if (*pp == fc) {
			*pp = fc->next;
			break;
		}
	}
	tmpfs_inode_put(fc->cwd);
	close(fc->pidfd); /* also leaves the reap set */
	if (fc->watched)
		sb->nwatched_procs--;
	free(fc);
}

void fsctx_exit(struct sandbox *sb, struct fsctx *fc)
{
	fsctx_free(sb, fc);
}

/* The live record of tgid; a record whose process died (its PID maybe reused) is dropped. */
static struct fsctx *fsctx_find(struct sandbox *sb, pid_t tgid)
{
	for (struct fsctx *fc = sb->fsctx[bucket(tgid)]; fc; fc = fc->next) {
		struct pollfd p = { .fd = fc->pidfd, .events = POLLIN };

		if (fc->tgid != tgid)
			continue;
		if (poll(&p, 1, 0) == 1) {
			fsctx_free(sb, fc);
			return NULL;
		}
		return fc;
	}
	return NULL;
}

static struct fsctx *fsctx_new(struct sandbox *sb, pid_t tgid, struct mount *mnt,
			       struct tmpfs_inode *dir)
{
	struct fsctx *fc = calloc(1, sizeof(*fc));

	if (!fc)
		return NULL;
	fc->pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (fc->pidfd < 0) {
		free(fc);
		return NULL;
	}
	fc->tgid = tgid;
	fc->mnt = mnt;
	fc->cwd = dir;
	tmpfs_inode_get(dir);
	/* Freed when the process exits, not only when its PID is seen again. */
	fc->watched = reap_watch_fsctx(sb, fc->pidfd, fc) == 0;
	fc->next = sb->fsctx[bucket(tgid)];
	sb->fsctx[bucket(tgid)] = fc;
	return fc;
}

struct fsctx *fsctx_get(struct sys_call *c)
{
	const struct guest_cred *cr;
	struct fsctx *fc, *parent;

	if (!c->sb->nmounts || sys_cred(c, &cr))
		return NULL;
	fc = fsctx_find(c->sb, cr->tgid);
	if (fc)
		return fc;
	parent = fsctx_find(c->sb, cr->ppid);
	return parent ? fsctx_new(c->sb, cr->tgid, parent->mnt, parent->cwd) : NULL;
}

int fsctx_chdir(struct sys_call *c, struct mount *mnt, struct tmpfs_inode *dir)
{
	struct fsctx *fc = fsctx_get(c);
	const struct guest_cred *cr;
	int err = sys_cred(c, &cr);

	if (err)
		return err;
	if (!mnt) {
		if (fc)
			fsctx_free(c->sb, fc);
		return 0;
	}
	if (!fc)
		return fsctx_new(c->sb, cr->tgid, mnt, dir) ? 0 : -ENOMEM;
	tmpfs_inode_get(dir);
	tmpfs_inode_put(fc->cwd);
	fc->mnt = mnt;
	fc->cwd = dir;
	return 0;
}

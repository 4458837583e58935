// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/kcov: the file operations of the kcov device, as Linux's
 * kcov_fops (open, unlocked_ioctl, mmap, release), over libukcov's device.
 * The guest's fd is the memfd backing the area, so its mmap() is the host's
 * own mapping of the very pages the library writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fs.h"

static int kcovfs_guest_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	const struct sys_call *c = ctx;

	return guest_read(c->tid, dst, addr, len);
}

static int64_t kcovfs_ioctl(struct sys_call *c, struct kfile *f, unsigned int cmd,
			    unsigned long arg)
{
	struct ukcov_guest_mem mem = { kcovfs_guest_read, c };
	int ret = ukcov_kcov_ioctl(f->priv, c->task->cov, cmd, arg, &mem);

	/*
	 * The guest may have seen the previous owner finish (pthread_join)
	 * before its exit reached us; Linux disabled that kcov in do_exit().
	 */
	if ((ret == -EINVAL || ret == -EBUSY) && cmd == UKCOV_KCOV_ENABLE &&
	    task_reap_exiting(c->sb, c->task) > 0)
		ret = ukcov_kcov_ioctl(f->priv, c->task->cov, cmd, arg, &mem);
	if (ret == 0 && cmd == UKCOV_KCOV_REMOTE_ENABLE)
		remote_enabled(c);
	return ret;
}

static int64_t kcovfs_mmap(struct sys_call *c, struct kfile *f, uint64_t len, int prot,
			   int flags, uint64_t off)
{
	int ret;

	(void)c;
	/* An O_PATH descriptor has no file operations: do_mmap() sees no file. */
	if (f->flags & O_PATH)
		return -EBADF;
	ret = ukcov_kcov_mmap_check(f->priv, len, prot, flags, off);
	/* Accepted: the host maps the guest's fd, which is the area's memfd. */
	return ret ? ret : SYS_CONTINUE;
}

/* What stat(2) shows for debugfs's kcov file: a root-owned 0600 regular file of size 0. */
static int kcovfs_getattr(struct kfile *f, struct stat *st)
{
	st->st_dev = f->dev;
	st->st_ino = f->ino;
	st->st_mode = S_IFREG | 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

/* F_GETFL: the access mode and status flags of the open, with O_LARGEFILE as a 64-bit open has. */
static int kcovfs_getfl(struct kfile *f)
{
	const int status = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_DIRECT |
			   O_NOATIME | O_ASYNC | O_PATH;

	return (f->flags & status) | O_LARGEFILE;
}

/* F_SETFL: setfl() in fs/fcntl.c changes these only. */
static int kcovfs_setfl(struct sys_call *c, struct kfile *f, int flags)
{
	const int settable = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT | O_ASYNC;

	(void)c;
	if (f->flags & O_PATH)
		return -EBADF;
	f->flags = (f->flags & ~settable) | (flags & settable);
	return 0;
}

static void kcovfs_release(struct kfile *f);

static const struct kfile_ops kcovfs_ops = {
	.name = "kcov",
	.nonseekable = true, /* kcov_open() calls nonseekable_open() */
	.ioctl = kcovfs_ioctl,
	.mmap = kcovfs_mmap,
	.getattr = kcovfs_getattr,
	.getfl = kcovfs_getfl,
	.setfl = kcovfs_setfl,
	.release = kcovfs_release,
	/* No read or write: Linux answers EINVAL, as gVisor does. */
};

/*
 * Garbage collection of kcov instances. The guest's fd is the memfd itself,
 * and the supervisor holds it too (it maps the area), so no event says when
 * the guest let go of it: past a threshold that doubles each time, the files
 * no guest process holds any more are looked for (kfile_collect()) and an
 * instance that none holds and no thread has enabled is freed, as Linux frees
 * a kcov at its last reference.
 */
static bool kcovfs_unheld(struct kfile *f)
{
	return f->ops == &kcovfs_ops && !ukcov_kcov_enabled(f->priv);
}

static void kcovfs_gc(struct sandbox *sb)
{
	int n = kfile_collect(sb, sb->memfd_dev, kcovfs_unheld);

	if (n > 0)
		sb->nkcov -= (unsigned int)n;
	sb->kcov_gc_at = 2 * (sb->nkcov > 32 ? sb->nkcov : 32);
}

static void kcovfs_release(struct kfile *f)
{
	ukcov_kcov_close(f->priv);
}

int64_t kcovfs_open(struct sys_call *c, int flags)
{
	struct ukcov_kcov *kcov;
	struct kfile *f;
	int slot, err;

	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	/*
	 * In the window, where every syscall traps. A full window is no limit
	 * Linux has: the lowest free fd then, as Linux gives (ioctl and file
	 * mmap trap on any fd; plain read/write on it are the README's deviation
	 * without a mount). The guest's RLIMIT_NOFILE still says EMFILE.
	 */
	slot = fd_alloc_window(c);
	if (slot == -EMFILE)
		slot = -1;
	else if (slot < 0)
		return slot;
	/* Before the new instance exists: nobody holds it until it is installed. */
	if (c->sb->nkcov >= c->sb->kcov_gc_at)
		kcovfs_gc(c->sb);
	err = ukcov_kcov_open(flags, &kcov);
	if (err)
		return err;
	f = kfile_new(c->sb, ukcov_kcov_fd(kcov), &kcovfs_ops, kcov, flags);
	if (!f) {
		ukcov_kcov_close(kcov);
		return -ENOMEM;
	}
	c->sb->nkcov++;
	c->install.srcfd = ukcov_kcov_fd(kcov);
	c->install.target = slot;
	c->install.flags = flags & O_CLOEXEC;
	return SYS_INSTALL;
}

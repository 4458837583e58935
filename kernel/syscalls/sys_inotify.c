// SPDX-License-Identifier: MIT
/*
 * inotify_add_watch(2) of mount paths. A guest's inotify instance is a host
 * instance (inotify_init1 is never trapped): a watch of a mount inode goes
 * into that very instance, through the supervisor's pidfd_getfd() copy of
 * it, on the inode's host object (tmpfs_watchat(), fs/tmpfs/fsnotify.c),
 * so the wd, the queue, read, poll, blocking, IN_Q_OVERFLOW and every mask
 * flag (IN_MASK_ADD, IN_MASK_CREATE, IN_ONESHOT, IN_EXCL_UNLINK) are the
 * host's, and inotify_rm_watch needs nothing of ours but the fd's check
 * (sys_fd_passthrough(): a mount's O_PATH description is EBADF).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"
#include "../vfs/vfs.h"

#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif
/*
 * include/linux/inotify.h's ALL_INOTIFY_BITS: the event bits and the
 * watch's flags. Any of them makes a mask valid, IN_ISDIR alone too (a watch
 * that then reports nothing but IN_IGNORED).
 */
#define ALL_INOTIFY_BITS (IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | \
			  IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_ADD | \
			  IN_MASK_CREATE | IN_ISDIR | IN_ONESHOT)

/*
 * inotify_add_watch()'s checks before the lookup, in Linux's order: the
 * mask's bits, the fd (EBADF), IN_MASK_ADD with IN_MASK_CREATE, then the
 * fd's kind, which must be an inotify instance. Returns the supervisor's
 * copy of it in *ifd, or -errno.
 */
static int watch_instance(struct sys_call *c, int fd, uint32_t mask, int *ifd)
{
	const struct guest_cred *cr;
	char link[64], proc[32];
	struct kfile *f;
	int h, hfd;
	int64_t r;
	ssize_t n;

	if ((mask & ~(uint32_t)ALL_INOTIFY_BITS) || !(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	/* a sandbox file is no inotify instance; fdget() skips O_PATH files (EBADF) */
	r = fd_get(c, fd, &f);
	if (r != SYS_CONTINUE && (r || (f->flags & O_PATH)))
		return r ? (int)r : -EBADF;
	/* IN_MASK_ADD with IN_MASK_CREATE, or not an instance: EINVAL either way */
	if (r != SYS_CONTINUE)
		return -EINVAL;
	h = sys_pidfd(c);
	if (h < 0)
		return h;
	r = sys_cred(c, &cr);
	if (r)
		return (int)r;
	hfd = thread_getfd_file(c->sb, h, cr->tgid, fd);
	if (hfd < 0)
		return -EBADF;
	if (fcntl(hfd, F_GETFL) & O_PATH) {
		close(hfd);
		return -EBADF;
	}
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) {
		close(hfd);
		return -EINVAL;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", hfd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0 || (size_t)n != strlen("anon_inode:inotify") ||
	    memcmp(link, "anon_inode:inotify", (size_t)n)) {
		close(hfd);
		return -EINVAL;
	}
	*ifd = hfd;
	return 0;
}

/* The watch itself, of a host object the supervisor holds (@obj) or of a host path as the guest. */
static int64_t add_watch(struct sys_call *c, int ifd, int obj, const char *host,
			 const struct tmpfs_cred *cred, uint32_t mask)
{
	char proc[32];
	int64_t r;

	if (host) {
		if (cred_host_enter_for(c, cred, host))
			return -EXDEV;
		r = inotify_add_watch(ifd, host, mask);
		r = r < 0 ? -errno : r;
		cred_host_leave();
		return r;
	}
	/* the object is the mount's, found as the guest: the host may follow the /proc link */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", obj);
	mask &= ~(uint32_t)(IN_DONT_FOLLOW | IN_ONLYDIR);
	/* those two alone were a valid mask of no event: IN_ISDIR alone is one to the host too */
	if (!(mask & ALL_INOTIFY_BITS))
		mask = IN_ISDIR;
	r = inotify_add_watch(ifd, proc, mask);
	return r < 0 ? -errno : r;
}

/* Implements inotify_add_watch(2). */
int64_t sys_inotify_add_watch(struct sys_call *c)
{
	uint32_t mask = (uint32_t)c->args[2];
	struct pcall pc;
	int ifd = -1, obj = -1;
	char *host = NULL;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[1], mask & IN_DONT_FOLLOW ? 0 : LOOKUP_FDLINK);
	int64_t e;

	/*
	 * Also for a host path: a mount's O_PATH description is a readable host
	 * one, which the host would not skip (EBADF) but call no instance.
	 */
	e = watch_instance(c, (int)c->args[0], mask, &ifd);
	if (e)
		return e;
	if (r == SYS_CONTINUE) {
		close(ifd);
		return r;
	}
	if (r) {
		close(ifd);
		return r;
	}
	do {
		r = tmpfs_watchat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, !!(mask & IN_DONT_FOLLOW),
				  !!(mask & IN_ONLYDIR), &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (r >= 0)
		obj = (int)r;
	if (obj >= 0 || host)
		r = add_watch(c, ifd, obj, host, pc.cred, mask);
	close(ifd);
	return r;
}

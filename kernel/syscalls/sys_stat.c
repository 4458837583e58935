// SPDX-License-Identifier: MIT
/*
 * The stat family, access and statfs by path (pcall.h): a mount path is
 * its file system's; a walk that leaves finishes on the host as the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"
#include "../vfs/vfs.h"

/* ---- stat family -------------------------------------------------------- */

/* Looks a mount path up as fstatat(2) does, finishing on the host a walk that leaves. */
int64_t pcall_stat(struct sys_call *c, struct pcall *pc, int flags, struct stat *st)
{
	char *host;
	int64_t r;

	do {
		r = tmpfs_fstatat(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path, flags, &pc->w, st);
	} while (pcall_exit(c, pc, &r, &host));
	if (host) {
		r = cred_host_enter_for(c, pc->cred, host);
		if (r)
			return r;
		r = fstatat(AT_FDCWD, host, st, flags & AT_SYMLINK_NOFOLLOW) ? -errno : 0;
		cred_host_leave();
	}
	return r;
}

static int64_t fstatat_common(struct sys_call *c, int dirfd, uint64_t upath, int flags,
			      uint64_t ubuf)
{
	struct pcall pc;
	struct stat st;
	int64_t r;

	/*
	 * vfs_fstatat(): no name and a dirfd is vfs_fstat(), whatever the
	 * other flags; the name is not read again (one string read fewer for
	 * glibc's fstat(), and the byte read is the one acted on).
	 */
	if (dirfd >= 0 && pcall_no_name(c, upath, flags)) {
		flags = AT_EMPTY_PATH;
		upath = 0;
	}
	r = pcall_at_check(c, TMPFS_AT_FSTATAT, flags, 0);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK | LOOKUP_NULL_OK : 0) |
						    FDLINK_IF(flags));
	if (r == SYS_CONTINUE && pc.p.buf[0] == '\0' && (flags & AT_EMPTY_PATH) &&
	    dirfd != AT_FDCWD) {
		/*
		 * fstat() on a sandbox file that is no tmpfs file (the kcov
		 * device). AT_FDCWD is no fd: vfs_fstatat() looks the empty
		 * name up from the cwd, here the host's.
		 */
		struct kfile *f;

		r = fd_get(c, dirfd, &f);
		if (r)
			return r;
		memset(&st, 0, sizeof(st));
		if (f->ops->getattr)
			f->ops->getattr(f, &st);
		cred_shown_stat(c, &st.st_uid, &st.st_gid);
		return guest_write(c->tid, ubuf, &st, sizeof(st));
	}
	if (r)
		return r;
	r = pcall_stat(c, &pc, flags, &st);
	if (r)
		return r;
	cred_shown_stat(c, &st.st_uid, &st.st_gid);
	return guest_write(c->tid, ubuf, &st, sizeof(st));
}

/* Implements stat(2). */
int64_t sys_stat(struct sys_call *c)
{
	return fstatat_common(c, AT_FDCWD, c->args[0], 0, c->args[1]);
}

/* Implements lstat(2). */
int64_t sys_lstat(struct sys_call *c)
{
	return fstatat_common(c, AT_FDCWD, c->args[0], AT_SYMLINK_NOFOLLOW, c->args[1]);
}

/* Implements newfstatat(2); glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH). */
int64_t sys_newfstatat(struct sys_call *c)
{
	return fstatat_common(c, (int)c->args[0], c->args[1], (int)c->args[3], c->args[2]);
}

/*
 * do_statx_fd(): no name and a dirfd (>= 0) checks the mask and the sync
 * type only; the flags it ignores then.
 */
static int no_name_ignored(struct sys_call *c, int dirfd, int flags)
{
	if (dirfd < 0 || !pcall_no_name(c, c->args[1], flags))
		return 0;
	return flags & ~(AT_EMPTY_PATH | AT_STATX_SYNC_TYPE);
}

/* Implements statx(2). */
int64_t sys_statx(struct sys_call *c)
{
	int dirfd = (int)c->args[0], flags = (int)c->args[2];
	unsigned int mask = (unsigned int)c->args[3];
	struct pcall pc;
	struct statx sx;
	struct kfile *f;
	char *host;
	int64_t r;

	flags &= ~no_name_ignored(c, dirfd, flags);
	r = pcall_at_check(c, TMPFS_AT_STATX, flags, mask);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, c->args[1],
			(flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK | LOOKUP_NULL_OK : 0) | FDLINK_IF(flags));
	if (r == SYS_CONTINUE && pc.p.buf[0] == '\0' && (flags & AT_EMPTY_PATH) &&
	    dirfd != AT_FDCWD) {
		r = fd_get(c, dirfd, &f);
		if (r)
			return r;
		memset(&sx, 0, sizeof(sx));
		if (f->ops->statx)
			r = f->ops->statx(f, mask, &sx);
		else
			r = kfile_statx(f, &sx);
		if (r)
			return r;
		cred_shown_stat(c, &sx.stx_uid, &sx.stx_gid);
		return guest_write(c->tid, c->args[4], &sx, sizeof(sx));
	}
	if (r)
		return r;
	do {
		r = tmpfs_statx(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, flags, mask, &pc.w, &sx);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host) {
		r = cred_host_enter_for(c, pc.cred, host);
		if (r)
			return r;
		r = statx(AT_FDCWD, host, flags & AT_SYMLINK_NOFOLLOW, mask, &sx) ? -errno : 0;
		cred_host_leave();
	}
	if (r)
		return r;
	cred_shown_stat(c, &sx.stx_uid, &sx.stx_gid);
	return guest_write(c->tid, c->args[4], &sx, sizeof(sx));
}

/* ---- access --------------------------------------------------------------- */

/*
 * The rest of an access(2) walk, on the host. Without AT_EACCESS Linux
 * checks with the real ids, and access_override_creds() gives a non-root
 * real uid no capabilities and uid 0 its permitted set (as
 * tmpfs_faccessat()); the host call then checks those with AT_EACCESS.
 */
static int64_t faccessat_host(const struct tmpfs_cred *cred, const char *host, int mode, int flags)
{
	struct tmpfs_cred ac = *cred;
	int64_t r;

	if (!(flags & AT_EACCESS)) {
		ac.fsuid = cred->uid;
		ac.fsgid = cred->gid;
		ac.caps = cred->uid ? 0 : cred->caps_perm;
		ac.host_caps = cred->uid ? 0 : cred->host_caps_perm;
	}
	r = cred_host_enter(&ac);
	if (r)
		return r;
	r = faccessat(AT_FDCWD, host, mode, AT_EACCESS | (flags & AT_SYMLINK_NOFOLLOW)) ? -errno : 0;
	cred_host_leave();
	return r;
}

static int64_t faccessat_common(struct sys_call *c, int dirfd, uint64_t upath, int mode, int flags)
{
	struct pcall pc;
	char *host;
	int64_t r;

	r = pcall_at_check(c, TMPFS_AT_FACCESSAT, flags, (uint64_t)mode);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(flags));
	if (r)
		return r;
	do {
		r = tmpfs_faccessat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, mode, flags, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host)
		r = faccessat_host(pc.cred, host, mode, flags);
	return r;
}

/* Implements access(2). */
int64_t sys_access(struct sys_call *c)
{
	return faccessat_common(c, AT_FDCWD, c->args[0], (int)c->args[1], 0);
}

/* Implements faccessat(2) (no flags argument). */
int64_t sys_faccessat(struct sys_call *c)
{
	return faccessat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], 0);
}

/* Implements faccessat2(2). */
int64_t sys_faccessat2(struct sys_call *c)
{
	return faccessat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], (int)c->args[3]);
}

/* Implements statfs(2). */
int64_t sys_statfs(struct sys_call *c)
{
	struct statfs sf;
	struct stat st;
	struct pcall pc;
	char *host;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);

	if (r)
		return r;
	do {
		r = tmpfs_fstatat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, 0, &pc.w, &st);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host) {
		r = cred_host_enter_for(c, pc.cred, host);
		if (r)
			return r;
		r = statfs(host, &sf) ? -errno : 0;
		cred_host_leave();
	}
	else if (!r) {
		/*
		 * a node's record holds its inode after the last close, which
		 * Linux frees: records nobody holds go first, so f_ffree counts
		 * as Linux's (only where the mount has nodes)
		 */
		if (kfile_has_nodes_of(c->sb, pc.p.mnt))
			files_collect_stale(c->sb);
		r = tmpfs_statfs(pc.p.mnt->fs, &sf);
	}
	return r ? r : guest_write(c->tid, c->args[1], &sf, sizeof(sf));
}

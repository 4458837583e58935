// SPDX-License-Identifier: MIT
/*
 * Attributes by path: truncate, chmod, chown, utimensat, utimes, utime, futimesat.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <utime.h>

#include "pcall.h"
#include "sys.h"
#include "../fs/fs.h"
#include "../vfs/vfs.h"

/* ---- attributes ----------------------------------------------------------- */

/* Implements truncate(2). */
int64_t sys_truncate(struct sys_call *c)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	/* do_sys_truncate() checks the length before it looks the name up */
	if ((int64_t)c->args[1] < 0)
		return -EINVAL;
	r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);
	/* vfs_truncate(): break_lease(inode, O_WRONLY) */
	if (!r)
		r = tmpfs_lease_break(c, pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, O_WRONLY, 0);
	if (r)
		return r;
	do {
		r = tmpfs_truncate(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, (int64_t)c->args[1], &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	cred_fsize_exceeded(c, r);
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(truncate(host, (off_t)c->args[1]), um);
	return r;
}

static int64_t fchmodat_common(struct sys_call *c, int dirfd, uint64_t upath, mode_t mode, int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = pcall_at_check(c, TMPFS_AT_FCHMODAT, flags, 0);

	if (!r)
		r = pcall_start(c, &pc, dirfd, upath,
				(flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(flags));
	if (r)
		return r;
	do {
		r = tmpfs_fchmodat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, mode, flags, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(fchmodat(AT_FDCWD, host, mode, flags & AT_SYMLINK_NOFOLLOW), um);
	return r;
}

/* Implements chmod(2). */
int64_t sys_chmod(struct sys_call *c)
{
	return fchmodat_common(c, AT_FDCWD, c->args[0], (mode_t)c->args[1], 0);
}

/* Implements fchmodat(2) (no flags argument). */
int64_t sys_fchmodat(struct sys_call *c)
{
	return fchmodat_common(c, (int)c->args[0], c->args[1], (mode_t)c->args[2], 0);
}

/* Implements fchmodat2(2) (Linux 6.6): AT_SYMLINK_NOFOLLOW (a symlink: EOPNOTSUPP), AT_EMPTY_PATH. */
int64_t sys_fchmodat2(struct sys_call *c)
{
	return fchmodat_common(c, (int)c->args[0], c->args[1], (mode_t)c->args[2], (int)c->args[3]);
}

/*
 * The host's chown of ids a guest passed, in its user namespace's terms:
 * chown_common() finds an unmapped one invalid after the lookup's errors
 * and mnt_want_write()'s EROFS. Returns the call's 0 or -1 with errno.
 */
static int host_fchownat(const struct tmpfs_cred *cred, const char *host, uid_t uid, gid_t gid, int flags)
{
	int nofollow = flags & AT_SYMLINK_NOFOLLOW;
	struct statvfs sv;
	struct stat st;

	if (!tmpfs_chown_ids(cred, &uid, &gid))
		return fchownat(AT_FDCWD, host, uid, gid, nofollow);
	if (fstatat(AT_FDCWD, host, &st, nofollow))
		return -1;
	errno = !statvfs(host, &sv) && (sv.f_flag & ST_RDONLY) ? EROFS : EINVAL;
	return -1;
}

static int64_t fchownat_common(struct sys_call *c, int dirfd, uint64_t upath, uid_t uid, gid_t gid,
			       int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	r = pcall_at_check(c, TMPFS_AT_FCHOWNAT, flags, 0);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(flags));
	if (r)
		return r;
	do {
		r = tmpfs_fchownat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, uid, gid, flags, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(host_fchownat(pc.cred, host, uid, gid, flags), um);
	return r;
}

/* Implements chown(2). */
int64_t sys_chown(struct sys_call *c)
{
	return fchownat_common(c, AT_FDCWD, c->args[0], (uid_t)c->args[1], (gid_t)c->args[2], 0);
}

/* Implements lchown(2). */
int64_t sys_lchown(struct sys_call *c)
{
	return fchownat_common(c, AT_FDCWD, c->args[0], (uid_t)c->args[1], (gid_t)c->args[2],
			       AT_SYMLINK_NOFOLLOW);
}

/* Implements fchownat(2). */
int64_t sys_fchownat(struct sys_call *c)
{
	return fchownat_common(c, (int)c->args[0], c->args[1], (uid_t)c->args[2], (gid_t)c->args[3],
			       (int)c->args[4]);
}

/*
 * do_utimes(), with the times already read: a NULL path means the file
 * dirfd is open on (futimens); times NULL means now.
 */
static int64_t utimes_common(struct sys_call *c, int dirfd, uint64_t upath, struct timespec *times,
			     int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	/* "Nothing to do, we must not even check the path" (fs/utimes.c). */
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	r = pcall_at_check(c, TMPFS_AT_UTIMENSAT, flags, 0);
	if (r)
		return r;
	if (!upath && dirfd == AT_FDCWD)
		return -EFAULT; /* do_utimes_path(): getname(NULL) */
	if (!upath) {
		struct kfile *f;

		r = fd_get(c, dirfd, &f);
		if (r)
			return r;
		return f->ops->futimens ? f->ops->futimens(c, f, times) : SYS_CONTINUE;
	}
	r = pcall_start(c, &pc, dirfd, upath, (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(flags));
	if (r)
		return r;
	do {
		r = tmpfs_utimensat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, times, flags, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(utimensat(AT_FDCWD, host, times, flags & AT_SYMLINK_NOFOLLOW), um);
	return r;
}

/* Implements utimensat(2). */
int64_t sys_utimensat(struct sys_call *c)
{
	struct timespec ts[2];

	if (c->args[2] && guest_read(c->tid, ts, c->args[2], sizeof(ts)))
		return -EFAULT;
	return utimes_common(c, (int)c->args[0], c->args[1], c->args[2] ? ts : NULL, (int)c->args[3]);
}

/* do_futimesat(): microseconds, each checked, become nanoseconds. */
static int64_t futimesat_common(struct sys_call *c, int dirfd, uint64_t upath, uint64_t utv)
{
	struct timeval tv[2];
	struct timespec ts[2];

	if (!utv)
		return utimes_common(c, dirfd, upath, NULL, 0);
	if (guest_read(c->tid, tv, utv, sizeof(tv)))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return utimes_common(c, dirfd, upath, ts, 0);
}

/* Implements futimesat(2). */
int64_t sys_futimesat(struct sys_call *c)
{
	return futimesat_common(c, (int)c->args[0], c->args[1], c->args[2]);
}

/* Implements utimes(2). */
int64_t sys_utimes(struct sys_call *c)
{
	return futimesat_common(c, AT_FDCWD, c->args[0], c->args[1]);
}

/* Implements utime(2): whole seconds. */
int64_t sys_utime(struct sys_call *c)
{
	struct utimbuf ub;
	struct timespec ts[2];

	if (!c->args[1])
		return utimes_common(c, AT_FDCWD, c->args[0], NULL, 0);
	if (guest_read(c->tid, &ub, c->args[1], sizeof(ub)))
		return -EFAULT;
	ts[0] = (struct timespec){ .tv_sec = ub.actime };
	ts[1] = (struct timespec){ .tv_sec = ub.modtime };
	return utimes_common(c, AT_FDCWD, c->args[0], ts, 0);
}

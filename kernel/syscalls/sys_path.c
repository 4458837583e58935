// SPDX-License-Identifier: MIT
/*
 * Syscalls that name files by path: stat, access, mkdir, unlink, rename,
 * link, symlink, readlink, truncate, chmod, chown, utimensat, chdir, getcwd,
 * statfs. A path inside a mount is served by its file system; any other path
 * is the host's, and the host runs the syscall untouched.
 *
 * When a walk inside a mount leaves it (a symlink to the host, ".." above the
 * mount root) the file system hands back the rest of the path: the call goes
 * on there, in the next mount or on the host, done by the supervisor with
 * the guest's credentials and umask (cred_host_enter()). rename and link
 * across the edge answer EXDEV after their lookups, as Linux; chdir to the
 * host answers EXDEV (documented in the README).
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

#include "../pcall.h"
#include "../sys.h"
#include "../vfs.h"

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

/* Calls that follow a final symlink follow /proc/self/fd/N to the open file too (namei.c). */
#define FDLINK_IF(flags) ((flags) & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FDLINK)


/*
 * A call that changes the host, whose walk left a mount: Linux finishes it
 * there, with the caller's credentials and umask, and so does the
 * supervisor, only as the guest (an unprivileged supervisor cannot take
 * its identity: the answer stays EXDEV). The umask is the process's,
 * swapped for the call; no other supervisor thread creates files.
 */
bool host_change_begin(const struct tmpfs_cred *cred, mode_t *old_umask)
{
	if (!cred_host_enter(cred))
		return false;
	*old_umask = umask((mode_t)cred->umask & 0777);
	return true;
}

int64_t host_change_end(int ret, mode_t old_umask)
{
	int64_t r = ret ? -errno : 0;

	umask(old_umask);
	cred_host_leave();
	return r;
}

/*
 * Looks the path up. Returns 0 with the mount in pc->p.mnt, SYS_CONTINUE
 * when the host's, or -errno.
 */
int64_t pcall_start(struct sys_call *c, struct pcall *pc, int dirfd, uint64_t upath,
			   int lflags)
{
	const struct guest_cred *cr;
	int err = path_lookup(c, dirfd, upath, lflags, &pc->p);

	memset(&pc->w, 0, sizeof(pc->w));
	if (err)
		return err;
	if (!pc->p.mnt)
		return SYS_CONTINUE;
	err = sys_cred(c, &cr);
	if (err)
		return err;
	pc->cred = &cr->fs;
	return 0;
}

/*
 * After a file-system call: a walk that left the mount continues in the
 * mount its remaining path lies in (returns 1: call again with pc updated),
 * or ends (returns 0; *host is set when the rest is on the host, -EXDEV
 * otherwise).
 */
int pcall_exit(struct sys_call *c, struct pcall *pc, int64_t *ret, char **host)
{
	struct mount *m;

	*host = NULL;
	if (*ret != -TMPFS_EXIT)
		return 0;
	if (!pc->w.host_path || pc->w.hops > TMPFS_MAXSYMLINKS) {
		free(pc->w.host_path);
		pc->w.host_path = NULL;
		*ret = pc->w.hops > TMPFS_MAXSYMLINKS ? -ELOOP : -EXDEV;
		return 0;
	}
	m = mount_find(c->sb, pc->w.host_path);
	if (strlen(pc->w.host_path) >= sizeof(pc->p.buf)) {
		free(pc->w.host_path);
		pc->w.host_path = NULL;
		*ret = -ENAMETOOLONG;
		return 0;
	}
	strcpy(pc->p.buf, pc->w.host_path);
	free(pc->w.host_path);
	pc->w.host_path = NULL;
	pc->p.path = pc->p.buf;
	pc->p.dir = NULL;
	if (m) {
		pc->p.mnt = m;
		return 1;
	}
	*host = pc->p.buf;
	*ret = -EXDEV;
	return 0;
}

/* Flags are checked before the dirfd is looked up: a bad flag is EINVAL even with a bad fd. */
static int at_check(struct sys_call *c, enum tmpfs_at_call call, int flags, uint64_t arg)
{
	return c->sb->nmounts ? tmpfs_at_check(call, flags, arg) : 0;
}

/* ---- stat family -------------------------------------------------------- */

/* Looks a mount path up as fstatat(2) does, finishing on the host a walk that leaves. */
static int64_t pcall_stat(struct sys_call *c, struct pcall *pc, int flags, struct stat *st)
{
	char *host;
	int64_t r;

	do {
		r = tmpfs_fstatat(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path, flags, &pc->w, st);
	} while (pcall_exit(c, pc, &r, &host));
	if (host) {
		cred_host_enter(pc->cred);
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
	int64_t r = at_check(c, TMPFS_AT_FSTATAT, flags, 0);

	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK | LOOKUP_NULL_OK : 0) |
						    FDLINK_IF(flags));
	if (r == SYS_CONTINUE && pc.p.buf[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		/* fstat() on a sandbox file that is no tmpfs file (the kcov device). */
		struct kfile *f;

		r = fd_get(c, dirfd, &f);
		if (r)
			return r;
		memset(&st, 0, sizeof(st));
		if (f->ops->getattr)
			f->ops->getattr(f, &st);
		return guest_write(c->tid, ubuf, &st, sizeof(st));
	}
	if (r)
		return r;
	r = pcall_stat(c, &pc, flags, &st);
	return r ? r : guest_write(c->tid, ubuf, &st, sizeof(st));
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

/* Implements statx(2). */
int64_t sys_statx(struct sys_call *c)
{
	int dirfd = (int)c->args[0], flags = (int)c->args[2];
	unsigned int mask = (unsigned int)c->args[3];
	struct pcall pc;
	struct statx sx;
	struct kfile *f;
	char *host;
	int64_t r = at_check(c, TMPFS_AT_STATX, flags, mask);

	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, c->args[1],
			(flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK | LOOKUP_NULL_OK : 0) | FDLINK_IF(flags));
	if (r == SYS_CONTINUE && pc.p.buf[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		r = fd_get(c, dirfd, &f);
		if (r)
			return r;
		memset(&sx, 0, sizeof(sx));
		if (f->ops->statx)
			r = f->ops->statx(f, mask, &sx);
		else
			r = kfile_statx(f, &sx);
		return r ? r : guest_write(c->tid, c->args[4], &sx, sizeof(sx));
	}
	if (r)
		return r;
	do {
		r = tmpfs_statx(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, flags, mask, &pc.w, &sx);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host) {
		cred_host_enter(pc.cred);
		r = statx(AT_FDCWD, host, flags & AT_SYMLINK_NOFOLLOW, mask, &sx) ? -errno : 0;
		cred_host_leave();
	}
	return r ? r : guest_write(c->tid, c->args[4], &sx, sizeof(sx));
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
	}
	if (!cred_host_enter(&ac))
		return faccessat(AT_FDCWD, host, mode, flags & AT_SYMLINK_NOFOLLOW) ? -errno : 0;
	r = faccessat(AT_FDCWD, host, mode, AT_EACCESS | (flags & AT_SYMLINK_NOFOLLOW)) ? -errno : 0;
	cred_host_leave();
	return r;
}

static int64_t faccessat_common(struct sys_call *c, int dirfd, uint64_t upath, int mode, int flags)
{
	struct pcall pc;
	char *host;
	int64_t r;

	r = at_check(c, TMPFS_AT_FACCESSAT, flags, (uint64_t)mode);
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

/* ---- namespace changes ---------------------------------------------------- */

static int64_t mkdirat_common(struct sys_call *c, int dirfd, uint64_t upath, mode_t mode)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = pcall_start(c, &pc, dirfd, upath, 0);

	if (r)
		return r;
	do {
		r = tmpfs_mkdirat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, mode, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(mkdir(host, mode), um);
	return r;
}

/* Implements mkdir(2). */
int64_t sys_mkdir(struct sys_call *c)
{
	return mkdirat_common(c, AT_FDCWD, c->args[0], (mode_t)c->args[1]);
}

/* Implements mkdirat(2). */
int64_t sys_mkdirat(struct sys_call *c)
{
	return mkdirat_common(c, (int)c->args[0], c->args[1], (mode_t)c->args[2]);
}

static int64_t unlinkat_common(struct sys_call *c, int dirfd, uint64_t upath, int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	r = at_check(c, TMPFS_AT_UNLINKAT, flags, 0);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, 0);
	if (r)
		return r;
	do {
		r = tmpfs_unlinkat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, flags, &pc.w);
		c->sb->unlinked |= !r; /* files_reap_closed() looks at open unlinked files */
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(unlinkat(AT_FDCWD, host, flags), um);
	return r;
}

/* Implements unlink(2). */
int64_t sys_unlink(struct sys_call *c)
{
	return unlinkat_common(c, AT_FDCWD, c->args[0], 0);
}

/* Implements rmdir(2). */
int64_t sys_rmdir(struct sys_call *c)
{
	return unlinkat_common(c, AT_FDCWD, c->args[0], AT_REMOVEDIR);
}

/* Implements unlinkat(2). */
int64_t sys_unlinkat(struct sys_call *c)
{
	return unlinkat_common(c, (int)c->args[0], c->args[1], (int)c->args[2]);
}

/*
 * Two paths (rename, link): both in one mount is the mount's call, both on
 * the host is the host's, one in each is EXDEV as between two file systems.
 */
static int64_t two_paths(struct sys_call *c, struct pcall *a, int odirfd, uint64_t opath,
			 struct pcall *b, int ndirfd, uint64_t npath, int olflags)
{
	int64_t ra = pcall_start(c, a, odirfd, opath, olflags);
	int64_t rb;

	if (ra < 0 && ra != SYS_CONTINUE)
		return ra;
	rb = pcall_start(c, b, ndirfd, npath, 0);
	if (rb < 0 && rb != SYS_CONTINUE)
		return rb;
	if (ra == SYS_CONTINUE && rb == SYS_CONTINUE)
		return SYS_CONTINUE;
	if (ra == SYS_CONTINUE || rb == SYS_CONTINUE || a->p.mnt != b->p.mnt)
		return -EXDEV;
	return 0;
}

/* A guest path's start on the host, opened by the supervisor from its /proc link (AT_FDCWD: absolute). */
static int host_base_open(struct sys_call *c, int dirfd, const char *path)
{
	char link[64];

	if (path[0] == '/')
		return AT_FDCWD;
	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", c->tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", c->tid, dirfd);
	return open(link, O_PATH | O_CLOEXEC);
}

/*
 * filename_parentat() on the host, as the guest: the directory of the last
 * component must be found, be a directory, and be searchable (link_path_walk()
 * checks may_lookup() before every component, the last one included).
 */
static int64_t host_parent_check(const struct tmpfs_cred *cred, int dfd, const char *path)
{
	char parent[PATH_MAX];
	size_t n = strlen(path);
	struct stat st;
	int64_t r;

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	if (n >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, n ? path : ".", n ? n : 2);
	parent[n ? n : 1] = '\0';
	cred_host_enter(cred);
	r = fstatat(dfd, parent, &st, 0) ? -errno : 0;
	if (!r && !S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (!r && faccessat(dfd, parent, X_OK, AT_EACCESS))
		r = -errno;
	cred_host_leave();
	return r;
}

/* One name of a rename: its parent, in mounts and then on the host. */
static int64_t rename_parent(struct sys_call *c, struct pcall *pc, int dirfd)
{
	const struct guest_cred *cr;
	char *host;
	int64_t r;
	int dfd;

	if (pc->p.mnt) {
		free(pc->w.host_path);
		memset(&pc->w, 0, sizeof(pc->w));
		do {
			r = tmpfs_parent_lookup(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path, &pc->w);
		} while (pcall_exit(c, pc, &r, &host));
		return host ? host_parent_check(pc->cred, AT_FDCWD, host) : r;
	}
	r = sys_cred(c, &cr);
	if (r)
		return r;
	dfd = host_base_open(c, dirfd, pc->p.buf);
	if (dfd == -1)
		return -EBADF;
	r = host_parent_check(&cr->fs, dfd, pc->p.buf);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/*
 * A rename between a mount and elsewhere (or whose walk left the mount):
 * do_renameat2() looks both parents up and compares their mounts only
 * then, so their lookup errors come before EXDEV.
 */
static int64_t rename_xdev(struct sys_call *c, struct pcall *a, int odirfd, struct pcall *b,
			   int ndirfd)
{
	int64_t r = rename_parent(c, a, odirfd);

	if (!r)
		r = rename_parent(c, b, ndirfd);
	return r ? r : -EXDEV;
}

static int64_t renameat_common(struct sys_call *c, int odirfd, uint64_t opath, int ndirfd,
			       uint64_t npath, unsigned int flags)
{
	struct pcall *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	int64_t r = at_check(c, TMPFS_AT_RENAMEAT2, (int)flags, 0);

	if (!r)
		r = a && b ? two_paths(c, a, odirfd, opath, b, ndirfd, npath, 0) : -ENOMEM;
	if (!r) {
		r = tmpfs_renameat2(a->p.mnt->fs, a->cred, a->p.dir, a->p.path, b->p.dir, b->p.path,
				    flags, &a->w);
		c->sb->unlinked |= !r; /* it may have replaced a file */
		if (r == -TMPFS_EXIT)
			r = rename_xdev(c, a, odirfd, b, ndirfd);
	} else if (r == -EXDEV) {
		r = rename_xdev(c, a, odirfd, b, ndirfd);
	}
	free(a);
	free(b);
	return r;
}

/* Implements rename(2). */
int64_t sys_rename(struct sys_call *c)
{
	return renameat_common(c, AT_FDCWD, c->args[0], AT_FDCWD, c->args[1], 0);
}

/* Implements renameat(2). */
int64_t sys_renameat(struct sys_call *c)
{
	return renameat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], c->args[3], 0);
}

/* Implements renameat2(2). */
int64_t sys_renameat2(struct sys_call *c)
{
	return renameat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], c->args[3],
			       (unsigned int)c->args[4]);
}

/*
 * linkat(fd, "", ..., AT_EMPTY_PATH) by someone other than the file's opener
 * (other credentials) needs CAP_DAC_READ_SEARCH, else ENOENT (fs/namei.c).
 */
static int64_t linkat_empty_allowed(struct sys_call *c, int odirfd, struct pcall *a, int flags)
{
	struct tmpfs_file *tf;
	struct kfile *f;

	if (!(flags & AT_EMPTY_PATH) || odirfd == AT_FDCWD || a->p.buf[0] == '/' ||
	    fd_get(c, odirfd, &f) || !(tf = tmpfs_file_of(f)))
		return 0;
	return tmpfs_file_linkat_empty_ok(tf, a->cred);
}

/*
 * The old name of a link, on the host: looked up by the supervisor as the
 * guest, from the guest's cwd or dirfd. Their /proc links are opened as the
 * supervisor first (the guest's own credentials could not search
 * /proc/TID/fd of a task with other ids).
 */
static int64_t link_old_on_host(struct sys_call *c, struct pcall *a, int odirfd, int stflags)
{
	const struct guest_cred *cr;
	struct stat st;
	int64_t r = sys_cred(c, &cr);
	int dfd;

	if (r)
		return r;
	dfd = host_base_open(c, odirfd, a->p.buf);
	if (dfd == -1)
		return -EBADF;
	cred_host_enter(&cr->fs);
	r = fstatat(dfd, a->p.buf, &st, stflags) ? -errno : 0;
	cred_host_leave();
	if (dfd >= 0)
		close(dfd);
	return r;
}

/*
 * A link whose two names are not in one mount (or whose old name's walk
 * left it): do_linkat() looks the old name up, then makes the new one's
 * filename_create(), and compares the mounts only then, so the errors of
 * both lookups come before EXDEV. (A new name on the host: EXDEV.)
 */
static int64_t link_xdev(struct sys_call *c, struct pcall *a, struct pcall *b, int odirfd,
			 int flags)
{
	int stflags = (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW) | (flags & AT_EMPTY_PATH);
	struct stat st;
	int64_t r;

	free(a->w.host_path);
	memset(&a->w, 0, sizeof(a->w));
	r = a->p.mnt ? pcall_stat(c, a, stflags, &st) : link_old_on_host(c, a, odirfd, stflags);
	if (r || !b->p.mnt)
		return r ? r : -EXDEV;
	return tmpfs_link_xdev(b->p.mnt->fs, b->cred, b->p.dir, b->p.path, &b->w);
}

static int64_t linkat_common(struct sys_call *c, int odirfd, uint64_t opath, int ndirfd,
			     uint64_t npath, int flags)
{
	struct pcall *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	int64_t r = at_check(c, TMPFS_AT_LINKAT, flags, 0);

	if (!r)
		r = a && b ? two_paths(c, a, odirfd, opath, b, ndirfd, npath,
				       flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0)
			   : -ENOMEM;
	if (!r)
		r = linkat_empty_allowed(c, odirfd, a, flags);
	if (!r) {
		r = tmpfs_linkat(a->p.mnt->fs, a->cred, a->p.dir, a->p.path, b->p.dir, b->p.path,
				 flags, &a->w);
		if (r == -TMPFS_EXIT)
			r = link_xdev(c, a, b, odirfd, flags);
	} else if (r == -EXDEV) {
		r = link_xdev(c, a, b, odirfd, flags);
	}
	free(a);
	free(b);
	return r;
}

/* Implements link(2). */
int64_t sys_link(struct sys_call *c)
{
	return linkat_common(c, AT_FDCWD, c->args[0], AT_FDCWD, c->args[1], 0);
}

/* Implements linkat(2). */
int64_t sys_linkat(struct sys_call *c)
{
	return linkat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], c->args[3],
			     (int)c->args[4]);
}

static int64_t symlinkat_common(struct sys_call *c, uint64_t utarget, int dirfd, uint64_t upath)
{
	char target[PATH_MAX];
	long n = guest_read_str(c->tid, target, utarget, sizeof(target));
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = pcall_start(c, &pc, dirfd, upath, 0);

	if (r)
		return r;
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	do {
		r = tmpfs_symlinkat(pc.p.mnt->fs, pc.cred, target, pc.p.dir, pc.p.path, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(symlink(target, host), um);
	return r;
}

/* Implements symlink(2). */
int64_t sys_symlink(struct sys_call *c)
{
	return symlinkat_common(c, c->args[0], AT_FDCWD, c->args[1]);
}

/* Implements symlinkat(2). */
int64_t sys_symlinkat(struct sys_call *c)
{
	return symlinkat_common(c, c->args[0], (int)c->args[1], c->args[2]);
}

static int64_t readlinkat_common(struct sys_call *c, int dirfd, uint64_t upath, uint64_t ubuf,
				 int64_t size)
{
	char buf[PATH_MAX];
	struct pcall pc;
	char *host;
	int64_t r;

	if (size <= 0)
		return -EINVAL;
	r = pcall_start(c, &pc, dirfd, upath, LOOKUP_EMPTY_OK);
	if (r)
		return r;
	if (size > (int64_t)sizeof(buf))
		size = sizeof(buf);
	do {
		r = tmpfs_readlinkat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, buf, (size_t)size,
				     &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host) {
		ssize_t n;

		cred_host_enter(pc.cred);
		n = readlink(host, buf, (size_t)size);
		r = n < 0 ? -errno : n;
		cred_host_leave();
	}
	if (r > 0 && guest_write(c->tid, ubuf, buf, (size_t)r))
		return -EFAULT;
	return r;
}

/* Implements readlink(2). */
int64_t sys_readlink(struct sys_call *c)
{
	return readlinkat_common(c, AT_FDCWD, c->args[0], c->args[1], (int64_t)(int)c->args[2]);
}

/* Implements readlinkat(2). */
int64_t sys_readlinkat(struct sys_call *c)
{
	return readlinkat_common(c, (int)c->args[0], c->args[1], c->args[2], (int64_t)(int)c->args[3]);
}

/* ---- attributes ----------------------------------------------------------- */

/* Implements truncate(2). */
int64_t sys_truncate(struct sys_call *c)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);

	if (r)
		return r;
	do {
		r = tmpfs_truncate(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, (int64_t)c->args[1], &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(truncate(host, (off_t)c->args[1]), um);
	return r;
}

static int64_t fchmodat_common(struct sys_call *c, int dirfd, uint64_t upath, mode_t mode, int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = at_check(c, TMPFS_AT_FCHMODAT, flags, 0);

	if (!r)
		r = pcall_start(c, &pc, dirfd, upath, FDLINK_IF(flags));
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

static int64_t fchownat_common(struct sys_call *c, int dirfd, uint64_t upath, uid_t uid, gid_t gid,
			       int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	r = at_check(c, TMPFS_AT_FCHOWNAT, flags, 0);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(flags));
	if (r)
		return r;
	do {
		r = tmpfs_fchownat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, uid, gid, flags, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(fchownat(AT_FDCWD, host, uid, gid, flags & AT_SYMLINK_NOFOLLOW), um);
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

/* Implements utimensat(2); a NULL path means the file dirfd is open on (futimens). */
int64_t sys_utimensat(struct sys_call *c)
{
	struct timespec ts[2], *times = NULL;
	int dirfd = (int)c->args[0], flags = (int)c->args[3];
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	if (c->args[2]) {
		if (guest_read(c->tid, ts, c->args[2], sizeof(ts)))
			return -EFAULT;
		/* "Nothing to do, we must not even check the path" (fs/utimes.c). */
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
		times = ts;
	}
	r = at_check(c, TMPFS_AT_UTIMENSAT, flags, 0);
	if (r)
		return r;
	if (!c->args[1]) {
		struct kfile *f;

		r = fd_get(c, dirfd, &f);
		if (r)
			return r;
		return f->ops->futimens ? f->ops->futimens(c, f, times) : SYS_CONTINUE;
	}
	r = pcall_start(c, &pc, dirfd, c->args[1], (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(flags));
	if (r)
		return r;
	do {
		r = tmpfs_utimensat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, times, flags, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(utimensat(AT_FDCWD, host, times, flags & AT_SYMLINK_NOFOLLOW), um);
	return r;
}

/* ---- working directory and file systems --------------------------------- */

/*
 * chdir to a host path by a process whose cwd may be in a mount: the host
 * does the chdir (the supervisor cannot move a guest's cwd), and the record
 * must say "host" once it has, and not if it fails. So the supervisor first
 * checks, as the guest, what the host's set_fs_pwd() path would check (a
 * directory with search permission); a path the check cannot settle is left
 * to the host with the record unchanged, as before the check.
 */
static int64_t chdir_host(struct sys_call *c, struct pcall *pc)
{
	const struct guest_cred *cr;
	const struct fsctx *now;
	struct stat st;
	int r = fsctx_get(c, &now);

	if (r)
		return r;
	if (!now)
		return SYS_CONTINUE; /* host to host: nothing of ours changes */
	if (pc->p.buf[0] != '/')
		return SYS_CONTINUE; /* cannot happen: a relative path from a mount cwd stays in it */
	r = sys_cred(c, &cr);
	if (r)
		return r;
	if (cred_host_enter(&cr->fs)) {
		r = stat(pc->p.buf, &st) ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR
		    : faccessat(AT_FDCWD, pc->p.buf, X_OK, AT_EACCESS) ? -errno : 0;
		cred_host_leave();
	} else {
		r = stat(pc->p.buf, &st) ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
	}
	if (r)
		return r;
	r = fsctx_chdir(c, NULL, NULL);
	return r ? r : SYS_CONTINUE;
}

/* Implements chdir(2). */
int64_t sys_chdir(struct sys_call *c)
{
	struct tmpfs_inode *dir;
	struct pcall pc;
	char *host;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);

	if (r == SYS_CONTINUE)
		return chdir_host(c, &pc);
	if (r)
		return r;
	do {
		r = tmpfs_lookup_dir(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, &pc.w, &dir);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host)
		return -EXDEV; /* the guest's own cwd cannot be moved to another host directory */
	if (r)
		return r;
	r = fsctx_chdir(c, pc.p.mnt, dir);
	tmpfs_inode_put(dir);
	return r;
}

/* Implements getcwd(2): the raw syscall returns the length with the NUL. */
int64_t sys_getcwd(struct sys_call *c)
{
	const struct fsctx *fc;
	char rel[PATH_MAX], out[PATH_MAX];
	size_t len;
	int n = fsctx_get(c, &fc);

	if (n)
		return n;
	if (!fc)
		return SYS_CONTINUE;
	n = tmpfs_dir_path(fc->cwd, rel, sizeof(rel));
	if (n < 0)
		return n;
	len = fc->mnt->len + (strcmp(rel, "/") ? (size_t)n : 0);
	if (len + 1 > sizeof(out))
		return -ENAMETOOLONG;
	memcpy(out, fc->mnt->path, fc->mnt->len);
	if (strcmp(rel, "/"))
		memcpy(out + fc->mnt->len, rel, (size_t)n);
	out[len] = '\0';
	if (len + 1 > c->args[1])
		return -ERANGE;
	return guest_write(c->tid, c->args[0], out, len + 1) ? -EFAULT : (int64_t)len + 1;
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
		cred_host_enter(pc.cred);
		r = statfs(host, &sf) ? -errno : 0;
		cred_host_leave();
	}
	else if (!r)
		r = tmpfs_statfs(pc.p.mnt->fs, &sf);
	return r ? r : guest_write(c->tid, c->args[1], &sf, sizeof(sf));
}

/*
 * Path calls ukcov's file systems do not implement (xattrs, mknod, utimes,
 * inotify watches...): EOPNOTSUPP inside a mount, the host's answer outside.
 * `arg` is the index of the path argument; *at forms pass their dirfd before it.
 */
static int64_t path_unsupported(struct sys_call *c, int dirfd, uint64_t upath)
{
	struct pcall pc;
	int64_t r = pcall_start(c, &pc, dirfd, upath, 0);

	return r ? r : -EOPNOTSUPP;
}

int64_t sys_path_unsupported(struct sys_call *c)
{
	return path_unsupported(c, AT_FDCWD, c->args[0]);
}

int64_t sys_path_unsupported_at(struct sys_call *c)
{
	return path_unsupported(c, (int)c->args[0], c->args[1]);
}

int64_t sys_path_unsupported_1(struct sys_call *c)
{
	return path_unsupported(c, AT_FDCWD, c->args[1]);
}

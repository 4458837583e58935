/* fsscript lib backend: serve the script's syscalls from the tmpfs core.
 *
 * A miniature of what ukcov's syscall layer does with a --tmpfs mount:
 * an fd table whose entries are tmpfs open files or host fds, a cwd that
 * is a tmpfs directory or the host's, credentials changed by setfsuid/
 * setfsgid/setgroups, and paths routed by where they start.  Paths that
 * leave the mount (-TMPFS_EXIT) continue on the host from the remaining
 * absolute path.  Calls naming two paths in different places are -EXDEV.
 *
 * Deliberate differences from a real mount, so that a transcript can be
 * compared with one taken in a plain directory of /dev/shm: statx does not
 * report STATX_ATTR_MOUNT_ROOT for the root (ROOT is no mount point there).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../../kernel/fs/tmpfs/tmpfs.h"
#include "fsscript.h"

#define NFDS 1024

struct lib_fd {
	int used, cloexec;
	struct tmpfs_file *tf; /* NULL: host fd */
	int hostfd;
};

struct lib_ctx {
	struct tmpfs_mount *m;
	size_t rootlen;
	char *root;
	struct tmpfs_cred cred;
	struct lib_fd fds[NFDS];
	struct tmpfs_inode *cwd; /* NULL: the host's cwd */
};

struct loc {
	int in;			/* in the tmpfs */
	struct tmpfs_inode *dir; /* start for the core */
	long hostfd;		/* start for the host */
	const char *path;	/* the path to use */
	char *buf;		/* owned copy of path, if rewritten */
};

/* symlinkat(2) takes its dirfd and path second and third */
#define HOST_SYMLINKAT (-2)
/* filename_parentat() of (dirfd, path): no syscall of its own */
#define HOST_PARENT (-3)
/* the *xattr call by path on the host: (HOST_XATTR, dirfd, path, nr, a1, a2, a3), flags here */
#define HOST_XATTR (-4)
static long xattr_host_flags;
struct lib_ctx;
static long xattr_calls(struct lib_ctx *x, long nr, long a0, long a1, long a2, long a3,
			long a4);

/*
 * The parent of the last component must be found, be a directory and be
 * searchable (link_path_walk() checks may_lookup() before every component).
 */
static long host_parent(long dfd, const char *path)
{
	size_t n = strlen(path);
	struct stat st;
	char *parent;
	long r = 0;

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	parent = n ? strndup(path, n) : strdup(".");
	if (!parent)
		return -ENOMEM;
	if (fstatat((int)dfd, parent, &st, 0))
		r = -errno;
	else if (!S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	else if (faccessat((int)dfd, parent, X_OK, AT_EACCESS))
		r = -errno;
	free(parent);
	return r;
}

static long host(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long r;

	if (nr == HOST_PARENT)
		return host_parent(a0, (const char *)a1);
	if (nr == HOST_XATTR) /* a path out of the mount: the plain call, from the cwd */
		r = syscall(a2, a1, a3, a4, a5, xattr_host_flags, 0);
	else
		r = nr == HOST_SYMLINKAT ? syscall(SYS_symlinkat, a2, a0, a1) :
					   syscall(nr, a0, a1, a2, a3, a4, a5);
	return r == -1 ? -errno : r;
}

static struct lib_fd *getfd(struct lib_ctx *x, long fd)
{
	if (fd < 0 || fd >= NFDS || !x->fds[fd].used)
		return NULL;
	return &x->fds[fd];
}

static int under_root(struct lib_ctx *x, const char *p)
{
	return !strncmp(p, x->root, x->rootlen) &&
	       (p[x->rootlen] == '/' || !p[x->rootlen]);
}

/* lexical "." and ".." removal; host symlinks are not looked at */
static void normalize(char *p)
{
	char *out = p, *s = p;

	while (*s) {
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 1 && s[0] == '.') {
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else if (n) {
			*out++ = '/';
			memmove(out, s, n);
			out += n;
		}
		s += n;
	}
	if (out == p)
		*out++ = '/';
	*out = 0;
}

/*
 * A path starting on the host may enter the mount: the host kernel of a
 * real ukcov run cannot see it, so the supervisor must notice.  Here: make
 * it absolute from the host cwd or host dirfd, normalize, and compare.
 */
static void host_to_mount(struct lib_ctx *x, struct loc *l)
{
	char base[4096], link[64];
	ssize_t n;
	char *abs;

	if (!l->path[0])
		return;
	if (l->path[0] == '/') {
		base[0] = 0;
	} else if (l->hostfd == AT_FDCWD) {
		if (!getcwd(base, sizeof(base)))
			return;
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%ld", l->hostfd);
		n = readlink(link, base, sizeof(base) - 1);
		if (n < 0)
			return;
		base[n] = 0;
	}
	if (asprintf(&abs, "%s/%s", base, l->path) < 0)
		return;
	normalize(abs);
	if (!under_root(x, abs)) {
		free(abs);
		return;
	}
	l->in = 1;
	l->dir = NULL;
	l->path = l->buf = abs;
}

/* where (dirfd, path) starts; returns 0 or -errno */
static int locate(struct lib_ctx *x, long dirfd, const char *path,
		  struct loc *l)
{
	struct lib_fd *e;

	*l = (struct loc){ 0, NULL, AT_FDCWD, path, NULL };
	if (!path)
		return -EFAULT;
	if (path[0] == '/') {
		l->in = under_root(x, path);
	} else if (dirfd == AT_FDCWD) {
		l->in = x->cwd != NULL;
		l->dir = x->cwd;
	} else {
		e = getfd(x, dirfd);
		if (!e)
			return -EBADF;
		l->in = e->tf != NULL;
		l->dir = e->tf ? tmpfs_file_inode(e->tf) : NULL;
		l->hostfd = e->hostfd;
	}
	if (!l->in)
		host_to_mount(x, l);
	return 0;
}

/*
 * Run CORE in the tmpfs when (DFD, PATH) starts there, else (or for the
 * rest of a path that left the mount) the host call HOST_NR(dirfd, path, ...).
 */
#define DISPATCH(DFD, PATH, CORE, HOST_NR, ...)                                \
	({                                                                     \
		struct loc l_;                                                 \
		struct tmpfs_walk w_ = { 0 };                      \
		long r_ = locate(x, (DFD), (PATH), &l_), d_ = l_.hostfd;       \
		const char *p_ = l_.path;                                      \
		char *hp_ = NULL;                                              \
		while (!r_ || r_ == -TMPFS_EXIT) {                             \
			if (!l_.in) {                                          \
				r_ = host(HOST_NR, d_, (long)p_, __VA_ARGS__); \
				break;                                         \
			}                                                      \
			r_ = (CORE);                                           \
			if (r_ != -TMPFS_EXIT)                                 \
				break;                                         \
			/* left the mount: the rest is a guest path */         \
			free(hp_);                                             \
			p_ = hp_ = w_.host_path;                               \
			w_.host_path = NULL;                                   \
			d_ = AT_FDCWD;                                         \
			l_.dir = NULL;                                         \
			l_.in = under_root(x, p_);                             \
		}                                                              \
		free(hp_);                                                     \
		free(l_.buf);                                                  \
		free(w_.host_path);                                            \
		r_;                                                            \
	})

static long install(struct lib_ctx *x, long from, struct tmpfs_file *tf,
		    int hostfd, int cloexec)
{
	long fd;

	for (fd = from; fd < NFDS && x->fds[fd].used; fd++)
		;
	if (fd >= NFDS) {
		if (tf)
			tmpfs_file_put(tf);
		else
			close(hostfd);
		return -EMFILE;
	}
	x->fds[fd] = (struct lib_fd){ 1, cloexec, tf, hostfd };
	return fd;
}

static void release(struct lib_fd *e)
{
	if (e->tf)
		tmpfs_file_put(e->tf);
	else
		close(e->hostfd);
	e->used = 0;
}

static long do_openat(struct lib_ctx *x, long dirfd, const char *path,
		      long flags, long mode, uint64_t resolve)
{
	struct tmpfs_file *tf = NULL;
	struct open_how how = { (uint64_t)flags, (uint64_t)mode, resolve };
	long r = tmpfs_open_check((int)flags);

	if (r)
		return r;
	if (resolve)
		r = DISPATCH(dirfd, path,
			     tmpfs_openat(x->m, &x->cred, l_.dir, p_, (int)flags,
					  (mode_t)mode, resolve, &w_, &tf),
			     SYS_openat2, (long)&how, sizeof(how), 0, 0);
	else
		r = DISPATCH(dirfd, path,
			     tmpfs_openat(x->m, &x->cred, l_.dir, p_, (int)flags,
					  (mode_t)mode, 0, &w_, &tf),
			     SYS_openat, flags, mode, 0, 0);
	if (r < 0)
		return r;
	return install(x, 3, tf, tf ? -1 : (int)r, !!(flags & O_CLOEXEC));
}

static long do_openat2(struct lib_ctx *x, long dirfd, const char *path,
		       const struct open_how *how, size_t size)
{
	int err;

	if (size < sizeof(*how))
		return -EINVAL;
	err = tmpfs_openat2_check(how->flags, how->mode, how->resolve);
	if (err)
		return err;
	return do_openat(x, dirfd, path, (long)how->flags, (long)how->mode,
			 how->resolve);
}

static long do_close(struct lib_ctx *x, long fd)
{
	struct lib_fd *e = getfd(x, fd);

	if (!e)
		return -EBADF;
	release(e);
	return 0;
}

/* dup2(2)/dup3(2): flags, then oldfd == newfd, then the fds */
static long do_dup3(struct lib_ctx *x, long old, long new, long flags, int dup2)
{
	struct lib_fd *e;

	if (!dup2 && (flags & ~O_CLOEXEC))
		return -EINVAL;
	if (old == new && !dup2)
		return -EINVAL;
	e = getfd(x, old);
	if (!e)
		return -EBADF;
	if (old == new)
		return new;
	if (new < 0 || new >= NFDS)
		return -EBADF;
	if (x->fds[new].used)
		release(&x->fds[new]);
	x->fds[new] = *e;
	x->fds[new].cloexec = !!(flags & O_CLOEXEC);
	if (e->tf)
		tmpfs_file_get(e->tf);
	else
		x->fds[new].hostfd = dup(e->hostfd);
	return new;
}

static long do_dup_from(struct lib_ctx *x, long old, long from, int cloexec)
{
	struct lib_fd *e = getfd(x, old);

	if (!e)
		return -EBADF;
	if (from < 0 || from >= NFDS)
		return -EINVAL;
	if (e->tf)
		tmpfs_file_get(e->tf);
	return install(x, from, e->tf, e->tf ? -1 : dup(e->hostfd), cloexec);
}

static long do_fcntl(struct lib_ctx *x, long fd, long cmd, long arg)
{
	struct lib_fd *e = getfd(x, fd);

	if (!e)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return do_dup_from(x, fd, arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return e->cloexec ? FD_CLOEXEC : 0;
	case F_SETFD:
		e->cloexec = !!(arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return e->tf ? tmpfs_file_getfl(e->tf) :
			       host(SYS_fcntl, e->hostfd, cmd, arg, 0, 0, 0);
	case F_SETFL:
		return e->tf ? tmpfs_file_setfl(e->tf, &x->cred, (int)arg) :
			       host(SYS_fcntl, e->hostfd, cmd, arg, 0, 0, 0);
	}
	return -EINVAL;
}

/* calls on one fd: the tmpfs file, or the same call on the host fd */
static long fd_call(struct lib_ctx *x, long nr, long fd, long a1, long a2,
		    long a3)
{
	struct lib_fd *e = getfd(x, fd);
	struct tmpfs_file *f;
	const struct tmpfs_cred *c = &x->cred;

	/* ftruncate(2) rejects a negative length before the fd */
	if (nr == SYS_ftruncate && a1 < 0)
		return -EINVAL;
	/* pread64(2) and preadv(2) reject a negative offset before the fd */
	if ((nr == SYS_pread64 || nr == SYS_pwrite64 || nr == SYS_preadv ||
	     nr == SYS_pwritev) && a3 < 0)
		return -EINVAL;
	if (!e)
		return -EBADF;
	if (!(f = e->tf))
		return host(nr, e->hostfd, a1, a2, a3, 0, 0);
	switch (nr) {
	case SYS_read:
		return tmpfs_read(f, c, (void *)a1, (size_t)a2);
	case SYS_write:
		return tmpfs_write(f, c, (const void *)a1, (size_t)a2);
	case SYS_pread64:
		return tmpfs_pread(f, c, (void *)a1, (size_t)a2, a3);
	case SYS_pwrite64:
		return tmpfs_pwrite(f, c, (const void *)a1, (size_t)a2, a3);
	case SYS_readv:
	case SYS_preadv:
		if (nr == SYS_preadv && a3 < 0)
			return -EINVAL;
		return tmpfs_readv(f, c, (const struct iovec *)a1, (int)a2,
				   nr == SYS_preadv ? a3 : -1);
	case SYS_writev:
	case SYS_pwritev:
		if (nr == SYS_pwritev && a3 < 0)
			return -EINVAL;
		return tmpfs_writev(f, c, (const struct iovec *)a1, (int)a2,
				    nr == SYS_pwritev ? a3 : -1);
	case SYS_lseek:
		return tmpfs_lseek(f, a1, (int)a2);
	case SYS_fstat:
		return tmpfs_fstat(f, (struct stat *)a1);
	case SYS_getdents64:
		return tmpfs_getdents64(f, (void *)a1, (size_t)a2);
	case SYS_ftruncate:
		return tmpfs_ftruncate(f, c, a1);
	case SYS_fsync:
	case SYS_fdatasync:
		return tmpfs_fsync(f);
	case SYS_fchmod:
		return tmpfs_fchmod(f, c, (mode_t)a1);
	case SYS_fchown:
		return tmpfs_fchown(f, c, (uid_t)a1, (gid_t)a2);
	case SYS_fstatfs:
		return tmpfs_statfs(tmpfs_file_mount(f), (struct statfs *)a1);
	case SYS_fallocate:
		return tmpfs_fallocate(f, c, (int)a1, a2, a3);
	}
	return -ENOSYS;
}

static long do_fchdir(struct lib_ctx *x, long fd)
{
	struct lib_fd *e = getfd(x, fd);
	struct tmpfs_inode *dir;
	long r;

	if (!e)
		return -EBADF;
	if (!e->tf) {
		r = host(SYS_fchdir, e->hostfd, 0, 0, 0, 0, 0);
		goto host_cwd;
	}
	r = tmpfs_file_chdir(e->tf, &x->cred, &dir);
	if (r)
		return r;
	if (x->cwd)
		tmpfs_inode_put(x->cwd);
	x->cwd = dir;
	return 0;
host_cwd:
	if (!r && x->cwd) {
		tmpfs_inode_put(x->cwd);
		x->cwd = NULL;
	}
	return r;
}

/* path calls whose host form takes no dirfd: chdir(2), truncate(2) */
static long nodirfd(struct lib_ctx *x, long nr, const char *path, long arg,
		    struct tmpfs_inode **dir)
{
	struct tmpfs_walk w = { 0 };
	struct loc l;
	long r = locate(x, AT_FDCWD, path, &l);

	if (r)
		return r;
	if (l.in && nr == SYS_chdir)
		r = tmpfs_lookup_dir(x->m, &x->cred, l.dir, l.path, &w, dir);
	else if (l.in)
		r = tmpfs_truncate(x->m, &x->cred, l.dir, l.path, arg, &w);
	if (!l.in || r == -TMPFS_EXIT)
		r = host(nr, (long)(l.in ? w.host_path : path), arg, 0, 0, 0, 0);
	free(w.host_path);
	free(l.buf);
	return r;
}

static long do_chdir(struct lib_ctx *x, const char *path)
{
	struct tmpfs_inode *dir = NULL;
	long r = nodirfd(x, SYS_chdir, path, 0, &dir);

	if (r)
		return r;
	if (x->cwd)
		tmpfs_inode_put(x->cwd);
	x->cwd = dir;
	return 0;
}

static long do_getcwd(struct lib_ctx *x, char *buf, size_t len)
{
	char tmp[4096];
	int n;

	if (!x->cwd)
		return host(SYS_getcwd, (long)buf, (long)len, 0, 0, 0, 0);
	n = tmpfs_dir_path(x->cwd, tmp, sizeof(tmp));
	if (n < 0)
		return n;
	if (n == 1)
		n = 0; /* the root: just the mount point */
	if (x->rootlen + (size_t)n + 1 > len)
		return -ERANGE;
	memcpy(buf, x->root, x->rootlen);
	memcpy(buf + x->rootlen, tmp, (size_t)n);
	buf[x->rootlen + (size_t)n] = 0;
	return (long)(x->rootlen + (size_t)n + 1);
}

static long do_statx(struct lib_ctx *x, long dirfd, const char *path,
		     long flags, long mask, struct statx *sx)
{
	long r = DISPATCH(dirfd, path,
			  tmpfs_statx(x->m, &x->cred, l_.dir, p_, (int)flags,
				      (unsigned)mask, &w_, sx),
			  SYS_statx, flags, mask, (long)sx, 0);

	if (!r)
		sx->stx_attributes &= ~(uint64_t)STATX_ATTR_MOUNT_ROOT;
	return r;
}

static long do_statfs(struct lib_ctx *x, const char *path, struct statfs *sf)
{
	struct stat st;
	long r = DISPATCH(AT_FDCWD, path,
			  tmpfs_fstatat(x->m, &x->cred, l_.dir, p_, 0, &w_, &st),
			  SYS_newfstatat, (long)&st, 0, 0, 0);

	if (r)
		return r;
	if (path[0] == '/' ? under_root(x, path) : x->cwd != NULL)
		return tmpfs_statfs(x->m, sf);
	return host(SYS_statfs, (long)path, (long)sf, 0, 0, 0, 0);
}

/*
 * A link whose names are not both in the tmpfs (or whose old name's walk
 * left it): do_linkat() looks the old name up, then the new one's
 * filename_create(), and only then answers -EXDEV.
 */
/* do_linkat()'s filename_lookup() of the old name */
static long link_old(struct lib_ctx *x, long od, const char *op, long flags)
{
	int stflags = (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW) |
		      (int)(flags & AT_EMPTY_PATH);
	struct stat st;

	return DISPATCH(od, op,
			tmpfs_fstatat(x->m, &x->cred, l_.dir, p_, stflags, &w_, &st),
			SYS_newfstatat, (long)&st, stflags, 0, 0);
}

static long link_xdev(struct lib_ctx *x, long od, const char *op,
		      const struct loc *ln, long flags)
{
	struct tmpfs_walk w = { 0 };
	long r = link_old(x, od, op, flags);

	if (r || !ln->in)
		return r ? r : -EXDEV;
	r = tmpfs_link_xdev(x->m, &x->cred, ln->dir, ln->path, &w);
	free(w.host_path);
	return r;
}

/*
 * A rename whose names are not both in the tmpfs (or whose walk left it):
 * do_renameat2() looks both parents up, then answers -EXDEV.
 */
static long rename_parent(struct lib_ctx *x, long d, const char *p)
{
	return DISPATCH(d, p,
			tmpfs_parent_lookup(x->m, &x->cred, l_.dir, p_, &w_),
			HOST_PARENT, 0, 0, 0, 0);
}

static long rename_xdev(struct lib_ctx *x, long od, const char *op, long nd,
			const char *np)
{
	long r = rename_parent(x, od, op);

	if (!r)
		r = rename_parent(x, nd, np);
	return r ? r : -EXDEV;
}

/* two paths: both in the tmpfs, both on the host, or -EXDEV */
static long two_paths(struct lib_ctx *x, long nr, long od, const char *op,
		      long nd, const char *np, long flags)
{
	struct loc lo, ln = { 0, NULL, AT_FDCWD, NULL, NULL };
	struct tmpfs_walk w = { 0 };
	long r = locate(x, od, op, &lo);

	if (!r && !op[0] && !(flags & AT_EMPTY_PATH))
		r = -ENOENT;
	if (r)
		goto out;
	r = locate(x, nd, np, &ln);
	if (!r && !np[0])
		r = -ENOENT;
	if (r) {
		/* the old name's lookup comes before anything of the new name's */
		long ro = nr == SYS_linkat ? link_old(x, od, op, flags) : rename_parent(x, od, op);

		r = ro ? ro : r;
		goto out;
	}
	if (nr == SYS_linkat && (flags & AT_EMPTY_PATH) && od != AT_FDCWD &&
	    op[0] != '/' && x->fds[od].tf) {
		r = tmpfs_file_linkat_empty_ok(x->fds[od].tf, &x->cred);
		if (r)
			goto out;
	}
	if (!lo.in && !ln.in)
		r = host(nr, lo.hostfd, (long)op, ln.hostfd, (long)np, flags, 0);
	else if (lo.in != ln.in)
		r = -TMPFS_EXIT;
	else if (nr == SYS_renameat2)
		r = tmpfs_renameat2(x->m, &x->cred, lo.dir, lo.path, ln.dir,
				    ln.path, (unsigned)flags, &w);
	else
		r = tmpfs_linkat(x->m, &x->cred, lo.dir, lo.path, ln.dir,
				 ln.path, (int)flags, &w);
	/* the names are in two places, or a walk left the tmpfs */
	if (r == -TMPFS_EXIT)
		r = nr == SYS_linkat ? link_xdev(x, od, op, &ln, flags) :
				       rename_xdev(x, od, op, nd, np);
out:
	free(w.host_path);
	free(lo.buf);
	free(ln.buf);
	return r == -TMPFS_EXIT ? -EXDEV : r;
}

/* setfsuid(2) semantics for the file capabilities (kernel/sys.c) */
/*
 * The identity calls also change the process's own (it has one thread):
 * the host calls, among them the rest of a walk that left the mount, run
 * with the caller's credentials and umask as in a guest.
 */
static long do_setfsuid(struct lib_ctx *x, long uid)
{
	long old = x->cred.fsuid;

	syscall(SYS_setfsuid, uid);

	if (old != uid)
		x->cred.serial++; /* commit_creds() only on a change */
	x->cred.fsuid = (uint32_t)uid;
	/* cap_task_fix_setuid(): only the file-system capabilities */
	if (old == 0 && uid != 0)
		x->cred.caps &= ~TMPFS_CAP_ALL;
	else if (old != 0 && uid == 0)
		x->cred.caps |= x->cred.caps_perm & TMPFS_CAP_ALL;
	return old;
}

static long do_setgroups(struct lib_ctx *x, long n, const gid_t *list)
{
	long i;

	if (n < 0 || n > TMPFS_NGROUPS_MAX)
		return -EINVAL;
	if (syscall(SYS_setgroups, n, list))
		return -errno;
	for (i = 0; i < n; i++)
		x->cred.groups[i] = list[i];
	x->cred.ngroups = (uint32_t)n;
	x->cred.serial++; /* set_current_groups() always commits new creds */
	return 0;
}

static long path_calls(struct lib_ctx *x, long nr, long a0, long a1, long a2,
		       long a3, long a4);

static long lib_sys(void *ctx, long nr, long a0, long a1, long a2, long a3,
		    long a4, long a5)
{
	struct lib_ctx *x = ctx;

	(void)a5;
	switch (nr) {
	case SYS_open:
		return do_openat(x, AT_FDCWD, (const char *)a0, a1, a2, 0);
	case SYS_creat:
		return do_openat(x, AT_FDCWD, (const char *)a0,
				 O_CREAT | O_WRONLY | O_TRUNC, a1, 0);
	case SYS_openat:
		return do_openat(x, a0, (const char *)a1, a2, a3, 0);
	case SYS_openat2:
		return do_openat2(x, a0, (const char *)a1,
				  (const struct open_how *)a2, (size_t)a3);
	case SYS_close:
		return do_close(x, a0);
	case SYS_dup:
		return do_dup_from(x, a0, 0, 0);
	case SYS_dup2:
		return do_dup3(x, a0, a1, 0, 1);
	case SYS_dup3:
		return do_dup3(x, a0, a1, a2, 0);
	case SYS_fcntl:
		return do_fcntl(x, a0, a1, a2);
	case SYS_fchdir:
		return do_fchdir(x, a0);
	case SYS_chdir:
		return do_chdir(x, (const char *)a0);
	case SYS_getcwd:
		return do_getcwd(x, (char *)a0, (size_t)a1);
	case SYS_umask: {
		long old = x->cred.umask;

		x->cred.umask = (uint32_t)a0 & 0777;
		umask((mode_t)a0 & 0777);
		return old;
	}
	case SYS_setfsuid:
		return do_setfsuid(x, a0);
	case SYS_setfsgid: {
		long old = x->cred.fsgid;

		if (old != a0)
			x->cred.serial++;
		syscall(SYS_setfsgid, a0);
		x->cred.fsgid = (uint32_t)a0;
		return old;
	}
	case SYS_setgroups:
		return do_setgroups(x, a0, (const gid_t *)a1);
	case SYS_statfs:
		return do_statfs(x, (const char *)a0, (struct statfs *)a1);
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64:
	case SYS_readv: case SYS_writev: case SYS_preadv: case SYS_pwritev:
	case SYS_lseek: case SYS_fstat: case SYS_getdents64:
	case SYS_ftruncate: case SYS_fsync: case SYS_fdatasync:
	case SYS_fchmod: case SYS_fchown: case SYS_fstatfs: case SYS_fallocate:
		return fd_call(x, nr, a0, a1, a2, a3);
	case SYS_setxattr: case SYS_lsetxattr: case SYS_fsetxattr:
	case SYS_getxattr: case SYS_lgetxattr: case SYS_fgetxattr:
	case SYS_listxattr: case SYS_llistxattr: case SYS_flistxattr:
	case SYS_removexattr: case SYS_lremovexattr: case SYS_fremovexattr:
		return xattr_calls(x, nr, a0, a1, a2, a3, a4);
	case SYS_capget:
		return host(nr, a0, a1, 0, 0, 0, 0);
	case SYS_capset: {
		const uint32_t *d = (const uint32_t *)a1; /* {eff, perm, inh} x 2 */

		x->cred.caps = d[0] & (TMPFS_CAP_ALL | TMPFS_CAP_XATTR);
		x->cred.serial++;
		return 0;
	}
	}
	return path_calls(x, nr, a0, a1, a2, a3, a4);
}

#define CRED (&x->cred)
#define S(a) ((const char *)(a))

static long utimens(struct lib_ctx *x, long dirfd, const char *path,
		    const struct timespec *ts, long flags)
{
	struct lib_fd *e;

	if (path)
		return DISPATCH(dirfd, path,
				tmpfs_utimensat(x->m, CRED, l_.dir, p_, ts,
						(int)flags, &w_),
				SYS_utimensat, (long)ts, flags, 0, 0);
	/* futimens(): utimensat(fd, NULL, ...) */
	if (ts && ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (dirfd == AT_FDCWD)
		return -EFAULT;
	if (flags)
		return -EINVAL;
	e = getfd(x, dirfd);
	if (!e)
		return -EBADF;
	if (!e->tf)
		return host(SYS_utimensat, e->hostfd, 0, (long)ts, 0, 0, 0);
	return tmpfs_futimens(e->tf, CRED, ts);
}

/* flag checks Linux makes before it looks at the dirfd */
static long precheck(long nr, long a0, long a1, long a2, long a3, long a4)
{
	const struct timespec *ts = (const struct timespec *)a2;

	(void)a0;
	(void)a1;
	switch (nr) {
	case SYS_newfstatat:
		return tmpfs_at_check(TMPFS_AT_FSTATAT, (int)a3, 0);
	case SYS_statx:
		return tmpfs_at_check(TMPFS_AT_STATX, (int)a2, (uint64_t)a3);
	case SYS_unlinkat:
		return tmpfs_at_check(TMPFS_AT_UNLINKAT, (int)a2, 0);
	case SYS_renameat2:
		return tmpfs_at_check(TMPFS_AT_RENAMEAT2, (int)a4, 0);
	case SYS_linkat:
		return tmpfs_at_check(TMPFS_AT_LINKAT, (int)a4, 0);
	case SYS_fchownat:
		return tmpfs_at_check(TMPFS_AT_FCHOWNAT, (int)a4, 0);
	case SYS_faccessat2:
		return tmpfs_at_check(TMPFS_AT_FACCESSAT, (int)a3, (uint64_t)a2);
	case SYS_utimensat:
		/* both UTIME_OMIT: success before any check */
		if (ts && ts[0].tv_nsec == UTIME_OMIT &&
		    ts[1].tv_nsec == UTIME_OMIT)
			return 0;
		return tmpfs_at_check(TMPFS_AT_UTIMENSAT, (int)a3, 0);
	}
	return 0;
}

/* the *xattr family: the syscall's own checks (fs/xattr.c), then the core */
static long xattr_prep(long nr, const char *name, long size, long flags,
		       struct tmpfs_xattr_op *op)
{
	int set = nr == SYS_setxattr || nr == SYS_lsetxattr || nr == SYS_fsetxattr;
	int list = nr == SYS_listxattr || nr == SYS_llistxattr || nr == SYS_flistxattr;
	int rm = nr == SYS_removexattr || nr == SYS_lremovexattr || nr == SYS_fremovexattr;

	op->op = set ? TMPFS_XATTR_SET : list ? TMPFS_XATTR_LIST :
		 rm ? TMPFS_XATTR_REMOVE : TMPFS_XATTR_GET;
	op->name = name;
	op->size = (size_t)size;
	op->flags = (int)flags;
	if (set && (flags & ~3L))
		return -EINVAL;
	if (!list && (!*name || strlen(name) > 255))
		return -ERANGE;
	if (set && size > 65536)
		return -E2BIG;
	if (!set && op->size > 65536)
		op->size = 65536;
	return 0;
}

static long xattr_calls(struct lib_ctx *x, long nr, long a0, long a1, long a2, long a3,
			long a4)
{
	int list = nr == SYS_listxattr || nr == SYS_llistxattr || nr == SYS_flistxattr;
	int nofollow = nr == SYS_lsetxattr || nr == SYS_lgetxattr || nr == SYS_llistxattr ||
		       nr == SYS_lremovexattr;
	int fd = nr == SYS_fsetxattr || nr == SYS_fgetxattr || nr == SYS_flistxattr ||
		 nr == SYS_fremovexattr;
	struct tmpfs_xattr_op op;
	struct lib_fd *e = NULL;
	long r;

	r = xattr_prep(nr, list ? "" : S(a1), list ? a2 : a3, a4, &op);
	op.value = (void *)(list ? a1 : a2);
	if (r)
		return r;
	if (fd && !(e = getfd(x, a0)))
		return -EBADF;
	xattr_host_flags = a4;
	if (fd)
		r = e->tf ? tmpfs_fxattr(e->tf, CRED, &op) : host(nr, e->hostfd, a1, a2, a3, a4, 0);
	else
		r = DISPATCH(AT_FDCWD, S(a0),
			     tmpfs_xattrat(x->m, CRED, l_.dir, p_, nofollow ? AT_SYMLINK_NOFOLLOW : 0,
					   &op, &w_),
			     HOST_XATTR, nr, a1, a2, a3);
	if (r == -ERANGE && (size_t)(list ? a2 : a3) >= 65536 && op.op != TMPFS_XATTR_SET &&
	    op.op != TMPFS_XATTR_REMOVE)
		r = -E2BIG;
	return r;
}

static long path_calls(struct lib_ctx *x, long nr, long a0, long a1, long a2,
		       long a3, long a4)
{
	long err = precheck(nr, a0, a1, a2, a3, a4);

	if (err)
		return err;
	switch (nr) {
	case SYS_stat:
	case SYS_lstat:
		return path_calls(x, SYS_newfstatat, AT_FDCWD, a0, a1,
				  nr == SYS_lstat ? AT_SYMLINK_NOFOLLOW : 0, 0);
	case SYS_newfstatat:
		return DISPATCH(a0, S(a1),
				tmpfs_fstatat(x->m, CRED, l_.dir, p_, (int)a3,
					      &w_, (struct stat *)a2),
				SYS_newfstatat, a2, a3, 0, 0);
	case SYS_statx:
		return do_statx(x, a0, S(a1), a2, a3, (struct statx *)a4);
	case SYS_mknod:
		return path_calls(x, SYS_mknodat, AT_FDCWD, a0, a1, a2, 0);
	case SYS_mknodat:
		/* may_mknod() comes before the lookup */
		if ((a2 & S_IFMT) == S_IFDIR)
			return -EPERM;
		if ((a2 & S_IFMT) && (a2 & S_IFMT) != S_IFREG &&
		    (a2 & S_IFMT) != S_IFIFO && (a2 & S_IFMT) != S_IFSOCK &&
		    (a2 & S_IFMT) != S_IFCHR && (a2 & S_IFMT) != S_IFBLK)
			return -EINVAL;
		if (!*S(a1))
			return -ENOENT; /* getname(), before the dirfd */
		return DISPATCH(a0, S(a1),
				tmpfs_mknodat(x->m, CRED, l_.dir, p_,
					      (mode_t)(uint16_t)a2,
					      (uint32_t)a3, &w_, NULL),
				SYS_mknodat, a2, a3, 0, 0);
	case SYS_mkdir:
		return path_calls(x, SYS_mkdirat, AT_FDCWD, a0, a1, 0, 0);
	case SYS_mkdirat:
		return DISPATCH(a0, S(a1),
				tmpfs_mkdirat(x->m, CRED, l_.dir, p_,
					      (mode_t)a2, &w_),
				SYS_mkdirat, a2, 0, 0, 0);
	case SYS_rmdir:
	case SYS_unlink:
		return path_calls(x, SYS_unlinkat, AT_FDCWD, a0,
				  nr == SYS_rmdir ? AT_REMOVEDIR : 0, 0, 0);
	case SYS_unlinkat:
		return DISPATCH(a0, S(a1),
				tmpfs_unlinkat(x->m, CRED, l_.dir, p_, (int)a2,
					       &w_),
				SYS_unlinkat, a2, 0, 0, 0);
	case SYS_rename:
		return two_paths(x, SYS_renameat2, AT_FDCWD, S(a0), AT_FDCWD,
				 S(a1), 0);
	case SYS_renameat:
		return two_paths(x, SYS_renameat2, a0, S(a1), a2, S(a3), 0);
	case SYS_renameat2:
		return two_paths(x, SYS_renameat2, a0, S(a1), a2, S(a3), a4);
	case SYS_link:
		return two_paths(x, SYS_linkat, AT_FDCWD, S(a0), AT_FDCWD,
				 S(a1), 0);
	case SYS_linkat:
		return two_paths(x, SYS_linkat, a0, S(a1), a2, S(a3), a4);
	case SYS_symlink:
		return path_calls(x, SYS_symlinkat, a0, AT_FDCWD, a1, 0, 0);
	case SYS_symlinkat:
		/* do_symlinkat(): the target's getname() errors come first */
		if (!a0)
			return -EFAULT;
		if (!S(a0)[0])
			return -ENOENT;
		if (strlen(S(a0)) >= 4096 /* PATH_MAX */)
			return -ENAMETOOLONG;
		return DISPATCH(a1, S(a2),
				tmpfs_symlinkat(x->m, CRED, S(a0), l_.dir, p_,
						&w_),
				HOST_SYMLINKAT, a0, 0, 0, 0);
	case SYS_readlink:
		return path_calls(x, SYS_readlinkat, AT_FDCWD, a0, a1, a2, 0);
	case SYS_readlinkat:
		if ((int)a3 <= 0)
			return -EINVAL;
		return DISPATCH(a0, S(a1),
				tmpfs_readlinkat(x->m, CRED, l_.dir, p_,
						 (char *)a2, (size_t)a3, &w_),
				SYS_readlinkat, a2, a3, 0, 0);
	case SYS_truncate:
		return nodirfd(x, SYS_truncate, S(a0), a1, NULL);
	case SYS_chmod:
		return path_calls(x, SYS_fchmodat, AT_FDCWD, a0, a1, 0, 0);
	case SYS_fchmodat:
		return DISPATCH(a0, S(a1),
				tmpfs_fchmodat(x->m, CRED, l_.dir, p_,
					       (mode_t)a2, 0, &w_),
				SYS_fchmodat, a2, 0, 0, 0);
	case 452: /* fchmodat2 */
		if (tmpfs_at_check(TMPFS_AT_FCHMODAT, (int)a3, 0))
			return -EINVAL;
		return DISPATCH(a0, S(a1),
				tmpfs_fchmodat(x->m, CRED, l_.dir, p_,
					       (mode_t)a2, (int)a3, &w_),
				452, a2, a3, 0, 0);
	case SYS_chown:
	case SYS_lchown:
		return path_calls(x, SYS_fchownat, AT_FDCWD, a0, a1, a2,
				  nr == SYS_lchown ? AT_SYMLINK_NOFOLLOW : 0);
	case SYS_fchownat:
		return DISPATCH(a0, S(a1),
				tmpfs_fchownat(x->m, CRED, l_.dir, p_,
					       (uid_t)a2, (gid_t)a3, (int)a4,
					       &w_),
				SYS_fchownat, a2, a3, a4, 0);
	case SYS_utimensat:
		return utimens(x, a0, S(a1), (const struct timespec *)a2, a3);
	case SYS_access:
		return path_calls(x, SYS_faccessat2, AT_FDCWD, a0, a1, 0, 0);
	case SYS_faccessat:
		return path_calls(x, SYS_faccessat2, a0, a1, a2, 0, 0);
	case SYS_faccessat2:
		return DISPATCH(a0, S(a1),
				tmpfs_faccessat(x->m, CRED, l_.dir, p_,
						(int)a2, (int)a3, &w_),
				SYS_faccessat2, a2, a3, 0, 0);
	}
	return -ENOSYS;
}

/* the host's fs.protected_* setting, which the reference side obeys */
static int sysctl_of(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

int fs_lib_backend_init(struct fs_backend *b, const char *root)
{
	struct tmpfs_mount_opts o = { .mountpoint = root, .dev = 0x7f0001,
				      .protected_regular = sysctl_of("/proc/sys/fs/protected_regular"),
				      .protected_fifos = sysctl_of("/proc/sys/fs/protected_fifos"),
				      .protected_symlinks = sysctl_of("/proc/sys/fs/protected_symlinks") };
	struct lib_ctx *x = calloc(1, sizeof(*x));
	int err, i;

	if (!x)
		return -ENOMEM;
	x->root = strdup(root);
	x->rootlen = strlen(root);
	err = tmpfs_mount_create(&o, &x->m);
	if (err) {
		free(x->root);
		free(x);
		return err;
	}
	x->cred.caps = x->cred.caps_perm = TMPFS_CAP_ALL | TMPFS_CAP_XATTR;
	x->cred.serial = 1;
	x->cred.umask = 022;
	/* every fd the process inherited (not only 0-2: a shell may pass
	 * more) is a host fd here too, so that new fds get the numbers the
	 * kernel gives them on the real backend */
	for (i = 0; i < NFDS; i++)
		if (fcntl(i, F_GETFD) >= 0)
			x->fds[i] = (struct lib_fd){ 1, 0, NULL, i };
	b->name = "lib";
	b->sys = lib_sys;
	b->ctx = x;
	return 0;
}

void fs_lib_backend_fini(struct fs_backend *b)
{
	struct lib_ctx *x = b->ctx;
	int i;

	for (i = 3; i < NFDS; i++)
		if (x->fds[i].used)
			release(&x->fds[i]);
	if (x->cwd)
		tmpfs_inode_put(x->cwd);
	tmpfs_mount_destroy(x->m);
	free(x->root);
	free(x);
}

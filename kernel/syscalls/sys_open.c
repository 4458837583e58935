// SPDX-License-Identifier: MIT
/*
 * open(2), creat(2), openat(2), openat2(2): the kcov device by its path,
 * files of mounted file systems, and everything else on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../vfs/file.h"
#include "../fs/fs.h"
#include "pcall.h"
#include "../task/pending.h"
#include "sys.h"
#include "../vfs/vfs.h"

/* struct open_how as openat2(2) first defined it; larger versions extend it. */
#define OPEN_HOW_SIZE_VER0 24

/*
 * "//sys/kernel/./debug//kcov" names the same file: compare the path with
 * its empty and "." components dropped and ".." applied (debugfs's path to
 * kcov holds no symlink, so the lexical reading is the real one).
 */
static bool is_kcov_path(const char *path)
{
	char norm[PATH_MAX];

	return path[0] == '/' && !path_normalize(path, norm, sizeof(norm)) &&
	       strcmp(norm, UKCOV_KCOV_PATH) == 0;
}

/*
 * The supervisor opens a host path for the guest, which must not reach
 * /proc with the supervisor's identity (22: the supervisor's own memory,
 * another user's maps). /proc objects are opened by asguest_open() on the
 * path resolved as the guest's (open_on_host()); anything else is opened
 * here without following magic links, and a file that still lands on
 * procfs (a path changed between the two) is refused (EXDEV).
 */
static int host_open_guarded(const char *host, int flags, mode_t mode)
{
	struct open_how how = { .flags = (uint64_t)(unsigned int)flags,
				.resolve = RESOLVE_NO_MAGICLINKS };
	struct statfs sf;
	int fd;

	/*
	 * build_open_how(): a mode only with O_CREAT or O_TMPFILE, masked to
	 * S_IALLUGO (openat2 refuses any other). O_TMPFILE holds O_DIRECTORY:
	 * O_DIRECTORY alone takes none.
	 */
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		how.mode = mode & 07777;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, host, &how, sizeof(how));
	if (fd < 0 || fstatfs(fd, &sf) || sf.f_type != PROC_SUPER_MAGIC)
		return fd;
	close(fd);
	errno = EXDEV;
	return -1;
}

/*
 * open(2) as the guest: its credentials for the walk, the permission checks
 * and a created file's owner, its umask for the created file's mode. The
 * umask is the process's (the server thread shares its fs_struct), swapped
 * for this one call; no other supervisor thread creates files.
 */
static int open_as_guest(const struct tmpfs_cred *cred, const char *host, int flags, mode_t mode)
{
	mode_t old;
	int fd, r = cred_host_enter(cred);

	if (r) {
		errno = -r;
		return -1;
	}
	old = umask((mode_t)cred->umask & 0777);
	fd = host_open_guarded(host, flags, mode);
	cred_host_leave();
	umask(old);
	return fd;
}

/*
 * SECCOMP_IOCTL_NOTIF_ADDFD cannot pass O_PATH files (fget() refuses them):
 * such an open gets a read-only descriptor instead (README). The walk is
 * the guest's, and so is the reopen through the file's /proc link: a file
 * the guest may not read is refused (EACCES, where Linux gives an O_PATH
 * descriptor), never handed over readable by the supervisor's rights
 * (docs/security.md).
 */
static int open_path_readable(const struct tmpfs_cred *cred, const char *host, int flags)
{
	int pfd = open_as_guest(cred, host, (flags & (O_PATH | O_NOFOLLOW | O_DIRECTORY)) | O_CLOEXEC, 0);
	char link[64];
	int fd = -1, err;

	if (pfd < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
	err = -cred_host_enter(cred);
	if (!err) {
		fd = open(link, (flags & O_DIRECTORY) | O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		err = errno;
		cred_host_leave();
	}
	close(pfd);
	errno = err;
	return fd;
}

/* A resolved path in procfs ("/proc" itself is procfs: procfs.c looks its links up there). */
static bool is_proc_path(const char *path)
{
	struct statfs sf;

	return !strncmp(path, "/proc", 5) && (path[5] == '/' || !path[5]) && !statfs("/proc", &sf) &&
	       sf.f_type == PROC_SUPER_MAGIC;
}

/* The rest of a walk left every mount: the supervisor opens it on the host for the guest. */
static int64_t open_on_host(struct sys_call *c, const struct tmpfs_cred *cred, const char *host,
			    int flags, mode_t mode)
{
	char canon[PATH_MAX];
	int fd;

	if (!proc_canonical(c, host, flags & O_NOFOLLOW ? 0 : LOOKUP_FDLINK, canon, sizeof(canon)) &&
	    is_proc_path(canon)) {
		/* O_PATH cannot be passed (see above): read-only, as the guest. */
		fd = asguest_open(c, canon, flags & O_PATH ? (flags & (O_NOFOLLOW | O_DIRECTORY)) | O_RDONLY | O_NONBLOCK
							  : flags, mode);
		if (fd < 0)
			return fd;
	} else {
		fd = flags & O_PATH ? open_path_readable(cred, host, flags)
				    : open_as_guest(cred, host, flags | O_CLOEXEC, mode);
		if (fd < 0)
			return -errno;
	}
	return sys_install_opened(c, fd, flags);
}

/* /proc/self/mountinfo and the like list the sandbox's mounts too (vfs/mountinfo.c). */
static int64_t open_mounts_file(struct sys_call *c, const char *path, int flags)
{
	char norm[PATH_MAX];
	int fd;

	if (path[0] != '/' || path_normalize(path, norm, sizeof(norm)))
		return SYS_CONTINUE;
	fd = mountinfo_open(c, norm);
	if (fd <= 0)
		return fd ? fd : SYS_CONTINUE;
	return sys_install_opened(c, fd, flags);
}

/*
 * A blocking open of a FIFO in a graft waits for the other side, and the
 * serving loop must not: it made the open with O_NONBLOCK (fd, or -errno
 * in err), as the guest, and this finishes it. A FIFO that must wait (a
 * reader, always: its open returned at once; a writer that found no
 * reader, ENXIO) is opened again by a helper thread through /proc/self/fd
 * of an fd of that very file (task/pending.h), whose permission checks the
 * open as the guest passed. That fd stays open until the helper's open
 * ends, so the waiting side counts as there, as Linux's fifo_open() counts
 * a waiter (a non-blocking writer finds the waiting reader). The helper
 * starts with the guest's credentials, which the loop wears here (a thread
 * takes its creator's), so its open is judged as the guest's again. Any
 * other file keeps its fd, with the guest's own status flags. Returns the
 * fd, SYS_PENDING, or -errno.
 */
static int64_t graft_open_blocking(struct sys_call *c, int fd, int err, const struct open_how *how,
				   struct mount *m, const char *rest, int flags)
{
	struct open_how path_how = { .flags = O_PATH | O_CLOEXEC | (how->flags & O_NOFOLLOW),
				     .resolve = how->resolve };
	struct pending_req *req;
	struct stat st;
	int64_t r;

	if (fd < 0 && (err != ENXIO || (flags & O_ACCMODE) != O_WRONLY))
		return -err;
	if (fd >= 0 && (fstat(fd, &st) || !S_ISFIFO(st.st_mode) || (flags & O_ACCMODE) == O_WRONLY)) {
		if (fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) {
			err = errno;
			close(fd);
			return -err;
		}
		return fd;
	}
	/* the writer that found no reader: the file again, by an O_PATH fd */
	if (fd < 0) {
		fd = (int)syscall(SYS_openat2, m->host_root, *rest ? rest : ".", &path_how, sizeof(path_how));
		if (fd < 0)
			return -errno;
		if (fstat(fd, &st) || !S_ISFIFO(st.st_mode)) {
			close(fd);
			return -ENXIO; /* a socket, or a device without a driver */
		}
	}
	req = tmpfs_calloc(1, sizeof(*req));
	if (!req) {
		close(fd);
		return -ENOMEM;
	}
	req->op = PENDING_OPEN;
	req->path_fd = fd;
	req->close_path_fd = true;
	req->fifo_reader = (flags & O_ACCMODE) == O_RDONLY;
	snprintf(req->path, sizeof(req->path), "/proc/self/fd/%d", fd);
	req->flags = (flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOFOLLOW | O_DIRECTORY)) | O_CLOEXEC;
	req->newfd_flags = flags & O_CLOEXEC;
	r = pending_start(c, req);
	free(req);
	return r;
}

/*
 * A walk into a graft: the supervisor opens the rest below the graft's
 * detached mount as the guest, never leaving it (RESOLVE_IN_ROOT: ".." and
 * absolute symlinks stay in the graft). O_PATH opens read-only, as
 * open_path_readable() for the same reason, with read permission needed.
 */
static int64_t open_in_graft(struct sys_call *c, const struct tmpfs_cred *cred, struct mount *m,
			     const char *rest, int flags, mode_t mode)
{
	struct open_how how = { .resolve = RESOLVE_NO_MAGICLINKS | RESOLVE_IN_ROOT };
	int acc = flags & O_ACCMODE, fd, err;
	bool may_wait;
	mode_t old;

	if (flags & O_PATH)
		flags = (flags & (O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC)) | O_RDONLY | O_NONBLOCK;
	/* a FIFO's reader or writer waits for the other side (never the loop) */
	may_wait = !(flags & O_NONBLOCK) && (acc == O_RDONLY || acc == O_WRONLY);
	how.flags = (uint64_t)(unsigned int)(flags | O_CLOEXEC | (may_wait ? O_NONBLOCK : 0));
	/*
	 * build_open_how(): a mode only with O_CREAT or O_TMPFILE, masked to
	 * S_IALLUGO (openat2 refuses any other). O_TMPFILE holds O_DIRECTORY:
	 * O_DIRECTORY alone takes none.
	 */
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		how.mode = mode & 07777;
	while (*rest == '/')
		rest++;
	old = umask((mode_t)cred->umask & 0777);
	cred_host_enter(cred);
	fd = (int)syscall(SYS_openat2, m->host_root, *rest ? rest : ".", &how, sizeof(how));
	err = errno;
	if (may_wait) {
		int64_t r = graft_open_blocking(c, fd, err, &how, m, rest, flags);

		if (r < 0) { /* -errno or SYS_PENDING */
			cred_host_leave();
			umask(old);
			return r;
		}
		fd = (int)r;
	}
	cred_host_leave();
	umask(old);
	if (fd < 0)
		return -err;
	return sys_install_opened(c, fd, flags);
}

/* include/linux/fcntl.h's VALID_OPEN_FLAGS, with the kernel's O_LARGEFILE and __O_TMPFILE. */
#define VALID_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | \
			  O_DSYNC | O_SYNC | O_ASYNC | O_DIRECT | 0100000 | O_DIRECTORY | O_NOFOLLOW | \
			  O_NOATIME | O_CLOEXEC | O_PATH | O_TMPFILE)

static int64_t open_common(struct sys_call *c, int dirfd, uint64_t upath, int flags, mode_t mode,
			   uint64_t resolve)
{
	const struct guest_cred *cr;
	struct tmpfs_walk w = { 0 };
	struct tmpfs_file *tf;
	struct path_ref *p = &(struct path_ref){ 0 };
	int64_t r;

	/*
	 * build_open_how(): open(2) and openat(2) drop unknown flag bits
	 * (openat2 refuses them first), so F_GETFL never shows them.
	 */
	flags &= VALID_OPEN_FLAGS;
	/* build_open_flags() comes before any lookup. */
	if (c->sb->nmounts && (r = tmpfs_open_check(flags)))
		return r;
	r = path_lookup(c, dirfd, upath,
			(flags & O_NOFOLLOW ? 0 : LOOKUP_FDLINK) | (resolve & RESOLVE_IN_ROOT ? LOOKUP_IN_ROOT : 0), p);

	/* A path we cannot read is no path of ours: the host gives the guest its error. */
	if (r && !c->sb->nmounts)
		return SYS_CONTINUE;
	if (r)
		return r;
	if (is_kcov_path(p->buf))
		return kcovfs_open(c, flags);
	if (!p->mnt && (r = failnth_open(c, p->buf, flags)) != 1)
		return r;
	if (!p->mnt && c->sb->nmounts && (flags & (O_ACCMODE | O_PATH | O_CREAT)) == O_RDONLY)
		return open_mounts_file(c, p->buf, flags);
	if (!p->mnt)
		return SYS_CONTINUE;
	/* A magic link jumped to the object (nd_jump_link()): refused by these as on the host. */
	if (p->via_magic && (resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)))
		return -ELOOP;
	r = sys_cred(c, &cr);
	if (r)
		return r;
	for (;;) {
		struct mount *m;

		r = tmpfs_lease_break(c, p->mnt->fs, &cr->fs, p->dir, p->path, flags, resolve);
		if (r)
			return r;
		r = tmpfs_openat(p->mnt->fs, &cr->fs, p->dir, p->path, flags | (flags & O_TRUNC ? TMPFS_O_TRUNC_LATER : 0),
				 mode, resolve, &w, &tf);
		if (r != -TMPFS_EXIT) {
			mount_walk_end(p->mnt);
			break;
		}
		if (!w.host_path || strlen(w.host_path) >= sizeof(p->buf)) {
			free(w.host_path);
			return -ENAMETOOLONG;
		}
		strcpy(p->buf, w.host_path);
		free(w.host_path);
		w.host_path = NULL;
		if (pcall_exit_up(c, &w, p))
			continue;
		c->sb->mount_hint = w.exit_dir; /* as pcall_exit() */
		r = graft_resolve(c->sb, &cr->fs, p->buf, sizeof(p->buf),
				  !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL),
				  &w.hops, &m, NULL);
		c->sb->mount_hint = NULL;
		if (r)
			return r;
		if (m && m->host_root >= 0)
			return open_in_graft(c, &cr->fs, m, p->buf + m->len, flags, mode);
		p->mnt = m;
		p->dir = NULL;
		p->path = p->buf;
		/* A magic link of /proc may lead back into a mount (vfs/procfs.c). */
		if (!m && (r = proc_resolve(c, NULL, p->lflags, p)) < 0)
			return r;
		if (p->via_magic && (resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)))
			return -ELOOP;
		if (!p->mnt)
			return is_kcov_path(p->buf) ? kcovfs_open(c, flags) : open_on_host(c, &cr->fs, p->buf, flags, mode);
	}
	/* A fifo or device node opens its host object (fs/host_nodes.c). */
	return r ? r : nodes_open(c, tf, flags);
}

/* Implements open(2). */
int64_t sys_open(struct sys_call *c)
{
	return open_common(c, AT_FDCWD, c->args[0], (int)c->args[1], (mode_t)c->args[2], 0);
}

/* Implements creat(2): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode). */
int64_t sys_creat(struct sys_call *c)
{
	return open_common(c, AT_FDCWD, c->args[0], O_CREAT | O_WRONLY | O_TRUNC, (mode_t)c->args[1], 0);
}

/* Implements openat(2). */
int64_t sys_openat(struct sys_call *c)
{
	return open_common(c, (int)c->args[0], c->args[1], (int)c->args[2], (mode_t)c->args[3], 0);
}

/* Implements openat2(2), with its own checks of struct open_how (fs/open.c). */
int64_t sys_openat2(struct sys_call *c)
{
	struct open_how how = { 0 };
	uint64_t size = c->args[3];
	int64_t r;

	if (size < OPEN_HOW_SIZE_VER0)
		return c->sb->nmounts ? -EINVAL : SYS_CONTINUE;
	if (size > 4096)
		return c->sb->nmounts ? -E2BIG : SYS_CONTINUE;
	if (guest_read(c->tid, &how, c->args[2], sizeof(how) < size ? sizeof(how) : size))
		return c->sb->nmounts ? -EFAULT : SYS_CONTINUE;
	for (uint64_t off = sizeof(how); off < size; off++) {
		char byte;

		/* copy_struct_from_user(): unknown trailing bytes must be readable and zero. */
		if (guest_read(c->tid, &byte, c->args[2] + off, 1))
			return c->sb->nmounts ? -EFAULT : SYS_CONTINUE;
		if (byte)
			return c->sb->nmounts ? -E2BIG : SYS_CONTINUE;
	}
	if (c->sb->nmounts) {
		r = tmpfs_openat2_check(how.flags, how.mode, how.resolve);
		if (r)
			return r;
	}
	if (how.flags > INT_MAX)
		return c->sb->nmounts ? -EINVAL : SYS_CONTINUE;
	return open_common(c, (int)c->args[0], c->args[1], (int)how.flags, (mode_t)how.mode, how.resolve);
}

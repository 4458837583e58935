// SPDX-License-Identifier: MIT
/*
 * ioctl(2), mmap(2), fstat(2) and the other fd calls on sandbox files. A file
 * that lacks an operation gets the answer Linux's VFS gives for such a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "file.h"
#include "sys.h"

#define FD_ARG(c) ((int)(c)->args[0])

/* Implements ioctl(2). */
int64_t sys_ioctl(struct sys_call *c)
{
	unsigned int cmd = (unsigned int)c->args[1];
	struct kfile *f;
	int64_t r = fd_get(c, FD_ARG(c), &f);

	if (r)
		return r;
	if (f->flags & O_PATH)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
	case FIONBIO:
	case FIOASYNC:
		/* do_vfs_ioctl() serves these for every file; the host does it on the same fd. */
		return SYS_CONTINUE;
	default:
		return f->ops->ioctl ? f->ops->ioctl(c, f, cmd, c->args[2]) : -ENOTTY;
	}
}

/* Implements mmap(2) of file-backed mappings. */
int64_t sys_mmap(struct sys_call *c)
{
	struct kfile *f;
	int64_t r = fd_get(c, (int)c->args[4], &f);

	/* An invalid fd: the host's do_mmap() checks the other arguments first. */
	if (r == -EBADF)
		return SYS_CONTINUE;
	if (r)
		return r;
	if (!f->ops->mmap)
		return -ENODEV;
	return f->ops->mmap(c, f, c->args[1], (int)c->args[2], (int)c->args[3], c->args[5]);
}

/* Implements fstat(2). */
int64_t sys_fstat(struct sys_call *c)
{
	struct kfile *f;
	struct stat st;
	int64_t r = fd_get(c, FD_ARG(c), &f);

	if (r)
		return r;
	memset(&st, 0, sizeof(st));
	if (f->ops->getattr)
		f->ops->getattr(f, &st);
	return guest_write(c->tid, c->args[1], &st, sizeof(st));
}

/* `answer` for a sandbox file; for any other fd, what fd_get() says (EBADF, or the host). */
static int64_t on_sandbox_file(struct sys_call *c, int64_t answer)
{
	struct kfile *f;
	int64_t r = fd_get(c, FD_ARG(c), &f);

	return r ? r : answer;
}

/*
 * close, dup*, fcntl, flock, fchmod, fchown, fstatfs, syncfs,
 * sync_file_range, readahead: the host does them on the host file that stands
 * for the sandbox file, which is what Linux would do to it; invalid fds are
 * answered here (they are the kcov probes of the fd layer).
 */
int64_t sys_fd_passthrough(struct sys_call *c)
{
	return on_sandbox_file(c, SYS_CONTINUE);
}

/* Implements fsync(2) and fdatasync(2): vfs_fsync_range() is -EINVAL without ->fsync. */
int64_t sys_fsync(struct sys_call *c)
{
	return on_sandbox_file(c, -EINVAL);
}

/* Implements ftruncate(2): only files open for writing may be truncated. */
int64_t sys_ftruncate(struct sys_call *c)
{
	struct kfile *f;
	int64_t r = fd_get(c, FD_ARG(c), &f);

	if (r)
		return r;
	if ((int64_t)c->args[1] < 0)
		return -EINVAL;
	return (f->flags & O_ACCMODE) == O_RDONLY ? -EINVAL : 0;
}

/* Implements getdents(2) and getdents64(2): sandbox files so far are not directories. */
int64_t sys_getdents(struct sys_call *c)
{
	return on_sandbox_file(c, -ENOTDIR);
}

/* Implements fchdir(2). */
int64_t sys_fchdir(struct sys_call *c)
{
	return on_sandbox_file(c, -ENOTDIR);
}

/* Implements fallocate(2): a file without ->fallocate is -EOPNOTSUPP. */
int64_t sys_fallocate(struct sys_call *c)
{
	return on_sandbox_file(c, -EOPNOTSUPP);
}

/* Implements fadvise64(2): generic_fadvise() accepts any regular file. */
int64_t sys_fadvise64(struct sys_call *c)
{
	return on_sandbox_file(c, 0);
}

/*
 * The sandbox file that a *at call with AT_EMPTY_PATH names by its dirfd,
 * or fd_get()'s answer: glibc's fstat() is newfstatat(fd, "", AT_EMPTY_PATH).
 */
static int64_t at_empty_path_file(struct sys_call *c, uint64_t upath, int flags, struct kfile **f)
{
	char first;

	*f = NULL;
	if (!(flags & AT_EMPTY_PATH) || guest_read(c->tid, &first, upath, 1) || first != '\0')
		return SYS_CONTINUE;
	return fd_get(c, FD_ARG(c), f);
}

/* Implements newfstatat(2) for sandbox files; paths go to the host. */
int64_t sys_newfstatat(struct sys_call *c)
{
	struct kfile *f;
	struct stat st;
	int64_t r = at_empty_path_file(c, c->args[1], (int)c->args[3], &f);

	if (r)
		return r;
	memset(&st, 0, sizeof(st));
	if (f->ops->getattr)
		f->ops->getattr(f, &st);
	return guest_write(c->tid, c->args[2], &st, sizeof(st));
}

/* Implements statx(2) for sandbox files; paths go to the host. */
int64_t sys_statx(struct sys_call *c)
{
	struct kfile *f;
	struct stat st;
	struct statx stx;
	int64_t r = at_empty_path_file(c, c->args[1], (int)c->args[2], &f);

	if (r)
		return r;
	memset(&st, 0, sizeof(st));
	if (f->ops->getattr)
		f->ops->getattr(f, &st);
	memset(&stx, 0, sizeof(stx));
	stx.stx_mask = STATX_BASIC_STATS;
	stx.stx_blksize = (uint32_t)st.st_blksize;
	stx.stx_nlink = (uint32_t)st.st_nlink;
	stx.stx_uid = st.st_uid;
	stx.stx_gid = st.st_gid;
	stx.stx_mode = (uint16_t)st.st_mode;
	stx.stx_ino = st.st_ino;
	stx.stx_size = (uint64_t)st.st_size;
	stx.stx_blocks = (uint64_t)st.st_blocks;
	stx.stx_dev_major = major(st.st_dev);
	stx.stx_dev_minor = minor(st.st_dev);
	return guest_write(c->tid, c->args[4], &stx, sizeof(stx));
}

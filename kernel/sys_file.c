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

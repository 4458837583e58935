// SPDX-License-Identifier: MIT
/*
 * read(2) and write(2) families and lseek(2) on sandbox files, with the VFS's
 * answers for files that lack an operation (fs/read_write.c).
 */
#include <errno.h>
#include <fcntl.h>

#include "file.h"
#include "sys.h"

static int64_t vfs_read(struct sys_call *c, struct kfile *f, bool positional)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY || (f->flags & O_PATH))
		return -EBADF;
	if (positional && f->ops->nonseekable)
		return -ESPIPE;
	/* vfs_read(): a file with no read operation is -EINVAL. */
	return f->ops->read ? f->ops->read(c, f) : -EINVAL;
}

static int64_t vfs_write(struct sys_call *c, struct kfile *f, bool positional)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY || (f->flags & O_PATH))
		return -EBADF;
	if (positional && f->ops->nonseekable)
		return -ESPIPE;
	return f->ops->write ? f->ops->write(c, f) : -EINVAL;
}

#define FD_ARG(c) ((int)(c)->args[0])

static int64_t rw(struct sys_call *c, bool write, bool positional)
{
	struct kfile *f;
	int64_t r = fd_get(c, FD_ARG(c), &f);

	if (r)
		return r;
	return write ? vfs_write(c, f, positional) : vfs_read(c, f, positional);
}

/* Implements read(2); read(-1, NULL, 0) is kcov's standard probe. */
int64_t sys_read(struct sys_call *c)
{
	return rw(c, false, false);
}

/* Implements readv(2). */
int64_t sys_readv(struct sys_call *c)
{
	return rw(c, false, false);
}

/* Implements pread64(2). */
int64_t sys_pread64(struct sys_call *c)
{
	return rw(c, false, true);
}

/* Implements preadv(2). */
int64_t sys_preadv(struct sys_call *c)
{
	return rw(c, false, true);
}

/* Implements preadv2(2): offset -1 means the file position, as readv(2). */
int64_t sys_preadv2(struct sys_call *c)
{
	return rw(c, false, (int64_t)c->args[3] != -1);
}

/* Implements write(2). */
int64_t sys_write(struct sys_call *c)
{
	return rw(c, true, false);
}

/* Implements writev(2). */
int64_t sys_writev(struct sys_call *c)
{
	return rw(c, true, false);
}

/* Implements pwrite64(2). */
int64_t sys_pwrite64(struct sys_call *c)
{
	return rw(c, true, true);
}

/* Implements pwritev(2). */
int64_t sys_pwritev(struct sys_call *c)
{
	return rw(c, true, true);
}

/* Implements pwritev2(2): offset -1 means the file position, as writev(2). */
int64_t sys_pwritev2(struct sys_call *c)
{
	return rw(c, true, (int64_t)c->args[3] != -1);
}

/* Implements lseek(2). */
int64_t sys_lseek(struct sys_call *c)
{
	struct kfile *f;
	int64_t r = fd_get(c, FD_ARG(c), &f);

	if (r)
		return r;
	return f->ops->nonseekable ? -ESPIPE : -EINVAL;
}

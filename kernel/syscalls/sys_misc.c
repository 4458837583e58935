// SPDX-License-Identifier: MIT
/*
 * Calls whose fd or path is not (only) in arg0: the data-moving calls, let
 * through to the host on a mount file's host description; calls ukcov's
 * file systems do not implement, refused with EOPNOTSUPP when they name a
 * sandbox file or a path in a mount, so the host never acts on a
 * placeholder in the file's place; left to the host otherwise. And
 * io_uring, which would bypass every trap.
 */
#include <errno.h>
#include <linux/aio_abi.h>
#include <fcntl.h>

#include "sys.h"
#include "../vfs/vfs.h"

/* Whether guest fd `fd` is a sandbox file: 1, 0 (a host fd), or -errno. */
static int is_sandbox_fd(struct sys_call *c, int fd)
{
	struct kfile *f;
	int64_t r = fd_get_io(c, fd, &f);

	if (r == SYS_CONTINUE || r == -EBADF)
		return 0; /* the host answers EBADF itself, in its own check order */
	return r ? (int)r : 1;
}

/*
 * One fd of a data-moving call (sendfile, splice, copy_file_range, tee):
 * a regular file's or a directory's description in a mount is a host
 * description of its data file or host directory, a tmpfs of the host's,
 * so the host moves the data with shmem's own code, with Linux's errnos
 * and waits (a pipe's in the guest's own thread), EXDEV between two mounts
 * as between two tmpfs instances. The file of the side written is told
 * first (tmpfs_file_mapped()): from then on the core takes its size,
 * pages and times from the host. An O_PATH file: EBADF (fdget() skips
 * them). Returns SYS_CONTINUE, or the answer.
 */
static int64_t data_side(struct sys_call *c, int fd, bool written)
{
	struct tmpfs_file *tf;
	struct kfile *f;
	int64_t r = fd_get_io(c, fd, &f);

	if (r == SYS_CONTINUE || r == -EBADF)
		return SYS_CONTINUE; /* the host's fd, or the host's own EBADF in its order */
	if (r)
		return r;
	if (f->flags & O_PATH)
		return -EBADF;
	if (!f->ops->host_desc || !(tf = tmpfs_file_of(f)))
		return -EINVAL; /* no ->splice_read / ->splice_write: do_splice_*()'s answer */
	if (written)
		tmpfs_file_mapped(tf);
	return SYS_CONTINUE;
}

/* The fds in args[in], args[out] (out written), the host's afterwards. */
static int64_t data_call(struct sys_call *c, int in, int out)
{
	int64_t r = data_side(c, (int)c->args[in], false);

	if (r == SYS_CONTINUE)
		r = data_side(c, (int)c->args[out], true);
	return r;
}

/* Implements sendfile(2) (out_fd, in_fd): on the host (data_side()). */
int64_t sys_sendfile(struct sys_call *c)
{
	return data_call(c, 1, 0);
}

/* splice(2)'s and tee(2)'s flags (SPLICE_F_ALL) */
#define SPLICE_FLAGS_ALL 0xfu

/*
 * Implements splice(2) (fd_in, off_in, fd_out, off_out, len, flags): on
 * the host, after fs/splice.c's own first checks, which come before the
 * fds: a length of 0 is 0, then unknown flags are EINVAL.
 */
int64_t sys_splice(struct sys_call *c)
{
	if (c->args[4] == 0)
		return 0;
	if (c->args[5] & ~(uint64_t)SPLICE_FLAGS_ALL)
		return -EINVAL;
	return data_call(c, 0, 2);
}

/* Implements copy_file_range(2) (fd_in, off_in, fd_out): on the host. */
int64_t sys_copy_file_range(struct sys_call *c)
{
	return data_call(c, 0, 2);
}

/*
 * Implements tee(2) (fd_in, fd_out: pipes, so a mount file is the host's
 * EINVAL), after its checks that come before the fds: unknown flags are
 * EINVAL, then a length of 0 is 0 (splice's order reversed).
 */
int64_t sys_tee(struct sys_call *c)
{
	if (c->args[3] & ~(uint64_t)SPLICE_FLAGS_ALL)
		return -EINVAL;
	if (c->args[2] == 0)
		return 0;
	return data_call(c, 0, 1);
}

/*
 * An *at call (dirfd in args[dfd], path in args[dfd + 1]): EOPNOTSUPP for a
 * path in a mount or a sandbox dirfd; AT_EMPTY_PATH (flag in args[fl], or
 * fl < 0 for none) on a host fd goes to the host (fexecve() is execveat(fd,
 * "", ..., AT_EMPTY_PATH)).
 */
static int64_t at_unsupported(struct sys_call *c, int dfd, int fl)
{
	int flags = fl >= 0 ? (int)c->args[fl] : 0;
	struct path_ref *p = &(struct path_ref){ 0 };
	int dirfd = (int)c->args[dfd];
	int r;

	if (!c->args[dfd + 1] && (flags & AT_EMPTY_PATH)) {
		r = is_sandbox_fd(c, dirfd);
		return r ? (r < 0 ? r : -EOPNOTSUPP) : SYS_CONTINUE;
	}
	r = path_lookup(c, dirfd, c->args[dfd + 1], flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0, p);
	if (r)
		return SYS_CONTINUE; /* unreadable path, bad dirfd: the host's own answer */
	if (p->mnt)
		return -EOPNOTSUPP;
	if (p->buf[0] == '\0' && dirfd != AT_FDCWD && is_sandbox_fd(c, dirfd))
		return -EOPNOTSUPP;
	return SYS_CONTINUE;
}

/* name_to_handle_at(2), open_tree(2): no handles, no detached trees of a mount. */
int64_t sys_name_to_handle_at(struct sys_call *c)
{
	return at_unsupported(c, 0, 4);
}

int64_t sys_open_tree(struct sys_call *c)
{
	return at_unsupported(c, 0, 2);
}

/* fchmodat2(2) and the xattr *at calls (flags in arg2 or arg3). */
int64_t sys_at_flags3(struct sys_call *c)
{
	return at_unsupported(c, 0, 3);
}

int64_t sys_at_flags2(struct sys_call *c)
{
	return at_unsupported(c, 0, 2);
}

/* fanotify_mark(2): its dirfd and path are arg3 and arg4. */
int64_t sys_fanotify_mark(struct sys_call *c)
{
	return at_unsupported(c, 3, -1);
}

/*
 * io_uring_setup(2) while a file system is mounted: ENOSYS, as a kernel
 * without io_uring says. Its operations (openat, read, write...) would reach
 * the host without a syscall to trap.
 */
int64_t sys_io_uring_setup(struct sys_call *c)
{
	return c->sb->nmounts ? -ENOSYS : SYS_CONTINUE;
}

/*
 * Implements io_submit(2) with a mount: an iocb on a tmpfs file would have
 * the host read or write its data memfd past the tmpfs core (no size limit,
 * no times): refused with EINVAL, as for a file whose ->read_iter cannot do
 * it; iocbs on host files go to the host. (The guest could change its iocbs
 * between this look and the host's: the README lists it.)
 */
int64_t sys_io_submit(struct sys_call *c)
{
	long nr = (long)c->args[1];

	if (nr < 0)
		return SYS_CONTINUE;
	for (long i = 0; i < nr && i < 4096; i++) {
		struct iocb cb;
		uint64_t p;
		struct kfile *f;

		if (guest_read(c->tid, &p, c->args[2] + (uint64_t)i * sizeof(p), sizeof(p)) ||
		    guest_read(c->tid, &cb, p, sizeof(cb)))
			return SYS_CONTINUE; /* the host gives EFAULT */
		if (fd_get(c, (int)cb.aio_fildes, &f) == 0 && !f->ops->host_io)
			return -EINVAL;
		kfile_desc_put(c);
	}
	return SYS_CONTINUE;
}

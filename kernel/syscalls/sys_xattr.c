// SPDX-License-Identifier: MIT
/*
 * The extended-attribute family (fs/xattr.c): set/get/list/remove by path,
 * by path without following (l*), by fd (f*) and the *xattrat calls of
 * Linux 6.13. The syscall's own checks come first, in Linux's order (the
 * fd of an f* call; the AT_ flags, the name: ERANGE when empty or past 255
 * bytes, the flags and size of a value: EINVAL, E2BIG), then the lookup,
 * then the file system (tmpfs_xattrat()). A walk that leaves the mount
 * ends on the host, done as the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"
#include "../vfs/vfs.h"

#define NAME_MAX_ 255           /* XATTR_NAME_MAX */
#define SIZE_MAX_ 65536         /* XATTR_SIZE_MAX, and XATTR_LIST_MAX */
#define ARGS_SIZE_VER0 16       /* struct xattr_args: value u64, size u32, flags u32 */

struct xattr_call {
	struct tmpfs_xattr_op op;
	char name[NAME_MAX_ + 1];
	uint64_t uvalue;        /* where GET and LIST write to */
	size_t usize;           /* what the guest asked for */
	char *buf;              /* the value: SET's copy in, GET/LIST's out */
};

/* import_xattr_name() */
static int name_import(struct sys_call *c, struct xattr_call *x, uint64_t uname)
{
	long n = guest_read_str(c->tid, x->name, uname, sizeof(x->name));

	if (n == 0 || n == -ENAMETOOLONG)
		return -ERANGE;
	x->op.name = x->name;
	return n < 0 ? (int)n : 0;
}

/* setxattr_copy(): flags, name, then the value */
static int set_import(struct sys_call *c, struct xattr_call *x, uint64_t uname, uint64_t uvalue,
		      size_t size, int flags)
{
	int err;

	x->op = (struct tmpfs_xattr_op){ .op = TMPFS_XATTR_SET, .size = size, .flags = flags };
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	err = name_import(c, x, uname);
	if (err)
		return err;
	if (!size) {
		x->op.value = "";
		return 0;
	}
	if (size > SIZE_MAX_)
		return -E2BIG;
	x->buf = tmpfs_malloc(size);
	if (!x->buf)
		return -ENOMEM;
	x->op.value = x->buf;
	return guest_read(c->tid, x->buf, uvalue, size) ? -EFAULT : 0;
}

/* GET and LIST: a buffer of at most XATTR_SIZE_MAX for the answer */
static int out_prepare(struct xattr_call *x, enum tmpfs_xattr_kind op, uint64_t uvalue, size_t size)
{
	x->op.op = op;
	x->uvalue = uvalue;
	x->usize = size;
	x->op.size = size > SIZE_MAX_ ? SIZE_MAX_ : size;
	if (!x->op.size)
		return 0;
	x->buf = tmpfs_calloc(1, x->op.size);
	x->op.value = x->buf;
	return x->buf ? 0 : -ENOMEM;
}

/* The answer to the guest: the bytes out, and E2BIG for an ERANGE at the cap. */
static int64_t out_finish(struct sys_call *c, struct xattr_call *x, int64_t r)
{
	if (r > 0 && x->op.size && guest_write(c->tid, x->uvalue, x->buf, (size_t)r))
		r = -EFAULT;
	else if (r == -ERANGE && x->usize >= SIZE_MAX_)
		r = -E2BIG;
	return r;
}

/* The same call on the host, as the guest, where a walk left the mount. */
static int64_t on_host(const struct tmpfs_cred *cred, const char *path, int nofollow,
		       struct xattr_call *x)
{
	mode_t um;
	ssize_t r = -1;

	if (!host_change_begin(cred, &um))
		return -EXDEV;
	switch (x->op.op) {
	case TMPFS_XATTR_SET:
		r = (nofollow ? lsetxattr : setxattr)(path, x->name, x->op.value, x->op.size, x->op.flags);
		break;
	case TMPFS_XATTR_GET:
		r = (nofollow ? lgetxattr : getxattr)(path, x->name, x->op.value, x->op.size);
		break;
	case TMPFS_XATTR_LIST:
		r = (nofollow ? llistxattr : listxattr)(path, x->op.value, x->op.size);
		break;
	case TMPFS_XATTR_REMOVE:
		r = (nofollow ? lremovexattr : removexattr)(path, x->name);
		break;
	}
	if (r >= 0) {
		host_change_end(0, um);
		return r;
	}
	return host_change_end(-1, um);
}

/* The lookup and the file system's answer, for a request already imported. */
static int64_t by_path(struct sys_call *c, int dirfd, uint64_t upath, int at_flags,
		       struct xattr_call *x)
{
	int lflags = (at_flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) | FDLINK_IF(at_flags);
	struct pcall pc;
	char *host;
	int64_t r = pcall_start(c, &pc, dirfd, upath, lflags);

	if (r)
		return r;
	do {
		r = tmpfs_xattrat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path,
				  at_flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH), &x->op, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host)
		r = on_host(pc.cred, host, at_flags & AT_SYMLINK_NOFOLLOW, x);
	return r;
}

/*
 * The sandbox file of an f* call: 0 with *out, SYS_CONTINUE for a host
 * fd, -EBADF (an O_PATH file too: fdget() skips them), or -EOPNOTSUPP for
 * a file with no attributes of ours (kcov).
 */
static int64_t fd_file(struct sys_call *c, int fd, struct kfile **out)
{
	int64_t r = fd_get(c, fd, out);

	if (r)
		return r;
	if ((*out)->flags & O_PATH)
		return -EBADF;
	return 0;
}

static int64_t by_file(struct sys_call *c, struct kfile *f, struct xattr_call *x)
{
	const struct guest_cred *gc;
	struct tmpfs_file *tf = tmpfs_file_of(f);
	struct mount *mnt;
	int64_t r = sys_cred(c, &gc);

	if (r)
		return r;
	if (tf)
		return tmpfs_fxattr(tf, &gc->fs, &x->op);
	if (f->ops->node_inode)
		return tmpfs_inode_xattr(f->ops->node_inode(f, &mnt), &gc->fs, &x->op);
	return -EOPNOTSUPP;
}

static int64_t done(struct xattr_call *x, int64_t r)
{
	free(x->buf);
	return r;
}

/* ---- set ---- */

static int64_t set_path(struct sys_call *c, int dirfd, uint64_t upath, int at_flags, uint64_t uname,
			uint64_t uvalue, size_t size, int flags)
{
	struct xattr_call x = { 0 };
	int64_t r;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = set_import(c, &x, uname, uvalue, size, flags);
	if (!r)
		r = by_path(c, dirfd, upath, at_flags, &x);
	return done(&x, r);
}

/* Implements setxattr(2). */
int64_t sys_setxattr(struct sys_call *c)
{
	return set_path(c, AT_FDCWD, c->args[0], 0, c->args[1], c->args[2], c->args[3], (int)c->args[4]);
}

/* Implements lsetxattr(2). */
int64_t sys_lsetxattr(struct sys_call *c)
{
	return set_path(c, AT_FDCWD, c->args[0], AT_SYMLINK_NOFOLLOW, c->args[1], c->args[2],
			c->args[3], (int)c->args[4]);
}

/* Implements fsetxattr(2): the name and value first, then the fd (Linux 6.13+). */
int64_t sys_fsetxattr(struct sys_call *c)
{
	struct xattr_call x = { 0 };
	struct kfile *f;
	int64_t r = set_import(c, &x, c->args[1], c->args[2], c->args[3], (int)c->args[4]);

	if (!r)
		r = fd_file(c, (int)c->args[0], &f);
	return done(&x, r ? r : by_file(c, f, &x));
}

/* struct xattr_args of the *xattrat calls (copy_struct_from_user()) */
static int args_import(struct sys_call *c, uint64_t uargs, uint64_t usize, uint64_t *value,
		       uint32_t *size, uint32_t *flags)
{
	unsigned char a[4096] = { 0 };

	if (usize > sizeof(a))
		return -E2BIG;
	if (usize < ARGS_SIZE_VER0)
		return -EINVAL;
	if (guest_read(c->tid, a, uargs, usize))
		return -EFAULT;
	for (size_t i = ARGS_SIZE_VER0; i < usize; i++)
		if (a[i])
			return -E2BIG;
	memcpy(value, a, 8);
	memcpy(size, a + 8, 4);
	memcpy(flags, a + 12, 4);
	return 0;
}


/* Implements setxattrat(2) (Linux 6.13). */
int64_t sys_setxattrat(struct sys_call *c)
{
	int dirfd = (int)c->args[0], at_flags = (int)c->args[2];
	uint32_t size, flags;
	uint64_t value;
	struct kfile *f;
	int64_t r = args_import(c, c->args[4], c->args[5], &value, &size, &flags);

	if (r)
		return r;
	if (!pcall_no_name(c, c->args[1], at_flags) || dirfd < 0)
		return set_path(c, dirfd, c->args[1], at_flags, c->args[3], value, size, (int)flags);
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct xattr_call x = { 0 };

	r = set_import(c, &x, c->args[3], value, size, (int)flags);
	if (!r)
		r = fd_file(c, dirfd, &f);
	return done(&x, r ? r : by_file(c, f, &x));
}

/* ---- get ---- */

static int64_t get_path(struct sys_call *c, int dirfd, uint64_t upath, int at_flags, uint64_t uname,
			uint64_t uvalue, size_t size)
{
	struct xattr_call x = { 0 };
	int64_t r;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = name_import(c, &x, uname);
	if (!r)
		r = out_prepare(&x, TMPFS_XATTR_GET, uvalue, size);
	if (!r)
		r = out_finish(c, &x, by_path(c, dirfd, upath, at_flags, &x));
	return done(&x, r);
}

/* Implements getxattr(2). */
int64_t sys_getxattr(struct sys_call *c)
{
	return get_path(c, AT_FDCWD, c->args[0], 0, c->args[1], c->args[2], c->args[3]);
}

/* Implements lgetxattr(2). */
int64_t sys_lgetxattr(struct sys_call *c)
{
	return get_path(c, AT_FDCWD, c->args[0], AT_SYMLINK_NOFOLLOW, c->args[1], c->args[2], c->args[3]);
}

/* By fd: the name is imported before the fd is looked up (Linux 6.13+) */
static int64_t get_fd(struct sys_call *c, int fd, uint64_t uname, uint64_t uvalue, size_t size)
{
	struct xattr_call x = { 0 };
	struct kfile *f = NULL;
	int64_t r = name_import(c, &x, uname);

	if (!r)
		r = fd_file(c, fd, &f);
	if (!r)
		r = out_prepare(&x, TMPFS_XATTR_GET, uvalue, size);
	if (!r)
		r = out_finish(c, &x, by_file(c, f, &x));
	return done(&x, r);
}

/* Implements fgetxattr(2). */
int64_t sys_fgetxattr(struct sys_call *c)
{
	return get_fd(c, (int)c->args[0], c->args[1], c->args[2], c->args[3]);
}

/* Implements getxattrat(2) (Linux 6.13): xattr_args.flags must be 0. */
int64_t sys_getxattrat(struct sys_call *c)
{
	int dirfd = (int)c->args[0], at_flags = (int)c->args[2];
	uint32_t size, flags;
	uint64_t value;
	int64_t r = args_import(c, c->args[4], c->args[5], &value, &size, &flags);

	if (!r && flags)
		r = -EINVAL;
	if (r)
		return r;
	if (!pcall_no_name(c, c->args[1], at_flags) || dirfd < 0)
		return get_path(c, dirfd, c->args[1], at_flags, c->args[3], value, size);
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return get_fd(c, dirfd, c->args[3], value, size);
}

/* ---- list ---- */

static int64_t list_path(struct sys_call *c, int dirfd, uint64_t upath, int at_flags, uint64_t ulist,
			 size_t size)
{
	struct xattr_call x = { 0 };
	int64_t r;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = out_prepare(&x, TMPFS_XATTR_LIST, ulist, size);
	if (!r)
		r = out_finish(c, &x, by_path(c, dirfd, upath, at_flags, &x));
	return done(&x, r);
}

/* Implements listxattr(2). */
int64_t sys_listxattr(struct sys_call *c)
{
	return list_path(c, AT_FDCWD, c->args[0], 0, c->args[1], c->args[2]);
}

/* Implements llistxattr(2). */
int64_t sys_llistxattr(struct sys_call *c)
{
	return list_path(c, AT_FDCWD, c->args[0], AT_SYMLINK_NOFOLLOW, c->args[1], c->args[2]);
}

static int64_t list_file(struct sys_call *c, struct kfile *f, uint64_t ulist, size_t size)
{
	struct xattr_call x = { 0 };
	int64_t r = out_prepare(&x, TMPFS_XATTR_LIST, ulist, size);

	if (!r)
		r = out_finish(c, &x, by_file(c, f, &x));
	return done(&x, r);
}

/* Implements flistxattr(2). */
int64_t sys_flistxattr(struct sys_call *c)
{
	struct kfile *f;
	int64_t r = fd_file(c, (int)c->args[0], &f);

	return r ? r : list_file(c, f, c->args[1], c->args[2]);
}

/* Implements listxattrat(2) (Linux 6.13). */
int64_t sys_listxattrat(struct sys_call *c)
{
	int dirfd = (int)c->args[0], at_flags = (int)c->args[2];
	struct kfile *f;
	int64_t r;

	/* path_listxattrat(): no name is dirfd's file, AT_FDCWD's too (EBADF) */
	if (!pcall_no_name(c, c->args[1], at_flags))
		return list_path(c, dirfd, c->args[1], at_flags, c->args[3], c->args[4]);
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = fd_file(c, dirfd, &f);
	return r ? r : list_file(c, f, c->args[3], c->args[4]);
}

/* ---- remove ---- */

static int64_t remove_path(struct sys_call *c, int dirfd, uint64_t upath, int at_flags, uint64_t uname)
{
	struct xattr_call x = { .op.op = TMPFS_XATTR_REMOVE };
	int64_t r;

	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = name_import(c, &x, uname);
	return r ? r : by_path(c, dirfd, upath, at_flags, &x);
}

/* Implements removexattr(2). */
int64_t sys_removexattr(struct sys_call *c)
{
	return remove_path(c, AT_FDCWD, c->args[0], 0, c->args[1]);
}

/* Implements lremovexattr(2). */
int64_t sys_lremovexattr(struct sys_call *c)
{
	return remove_path(c, AT_FDCWD, c->args[0], AT_SYMLINK_NOFOLLOW, c->args[1]);
}

static int64_t remove_fd(struct sys_call *c, int fd, uint64_t uname)
{
	struct xattr_call x = { .op.op = TMPFS_XATTR_REMOVE };
	struct kfile *f = NULL;
	int64_t r = name_import(c, &x, uname);

	if (!r)
		r = fd_file(c, fd, &f);
	return r ? r : by_file(c, f, &x);
}

/* Implements fremovexattr(2). */
int64_t sys_fremovexattr(struct sys_call *c)
{
	return remove_fd(c, (int)c->args[0], c->args[1]);
}

/* Implements removexattrat(2) (Linux 6.13). */
int64_t sys_removexattrat(struct sys_call *c)
{
	int dirfd = (int)c->args[0], at_flags = (int)c->args[2];

	/* path_removexattrat(): as path_listxattrat() */
	if (!pcall_no_name(c, c->args[1], at_flags))
		return remove_path(c, dirfd, c->args[1], at_flags, c->args[3]);
	if (at_flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return remove_fd(c, dirfd, c->args[3]);
}

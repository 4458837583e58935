// SPDX-License-Identifier: MIT
/*
 * mknod(2) and mknodat(2) (mkfifo(3) is mknodat(AT_FDCWD, path, S_IFIFO |
 * mode, 0)): every node type in a mount, as fs/namei.c's do_mknodat(); any
 * other path is the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"

/* may_mknod(): do_mknodat() checks the type before it looks the path up. */
static int mknod_type_check(mode_t mode)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

static int64_t mknodat_common(struct sys_call *c, int dirfd, uint64_t upath, mode_t mode,
			      uint32_t dev)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = mknod_type_check(mode);

	/*
	 * may_mknod() comes first of all: do_mknodat() gets getname()'s result
	 * (EFAULT, ENAMETOOLONG, ENOENT for "") as a pointer it looks at only
	 * in filename_create(), after the type.
	 */
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, 0);
	if (r)
		return r;
	do {
		r = tmpfs_mknodat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, mode, dev, &pc.w, NULL);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(mknod(host, mode, dev), um);
	return r;
}

/* Implements mknod(2); the mode is a umode_t (16 bits), the device an unsigned int. */
int64_t sys_mknod(struct sys_call *c)
{
	return mknodat_common(c, AT_FDCWD, c->args[0], (uint16_t)c->args[1], (uint32_t)c->args[2]);
}

/* Implements mknodat(2). */
int64_t sys_mknodat(struct sys_call *c)
{
	return mknodat_common(c, (int)c->args[0], c->args[1], (uint16_t)c->args[2], (uint32_t)c->args[3]);
}

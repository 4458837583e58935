// SPDX-License-Identifier: MIT
/*
 * open(2), creat(2), openat(2), openat2(2): the kcov device by its path,
 * files of mounted file systems, and everything else on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "sys.h"
#include "vfs.h"

/* struct open_how as openat2(2) first defined it; larger versions extend it. */
#define OPEN_HOW_SIZE_VER0 24

/* "//sys/kernel//debug/kcov" names the same file: collapse repeated slashes. */
static void path_squeeze(const char *in, char *out)
{
	for (; *in; in++)
		if (!(in[0] == '/' && in[1] == '/'))
			*out++ = *in;
	*out = '\0';
}

static bool is_kcov_path(const char *path)
{
	char squeezed[PATH_MAX];

	if (path[0] != '/')
		return false;
	path_squeeze(path, squeezed);
	return strcmp(squeezed, UKCOV_KCOV_PATH) == 0;
}

/* The rest of a walk left every mount: the supervisor opens it on the host for the guest. */
static int64_t open_on_host(struct sys_call *c, const char *host, int flags, mode_t mode)
{
	int fd;

	/*
	 * SECCOMP_IOCTL_NOTIF_ADDFD cannot pass O_PATH files (fget() refuses
	 * them): such an open gets a read-only descriptor instead (README).
	 */
	if (flags & O_PATH)
		flags = (flags & (O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC)) | O_RDONLY | O_NONBLOCK;
	fd = open(host, flags | O_CLOEXEC, mode);

	if (fd < 0)
		return -errno;
	c->install.srcfd = fd;
	c->install.target = -1;
	c->install.flags = flags & O_CLOEXEC;
	c->close_install_src = true;
	return SYS_INSTALL;
}

static int64_t open_common(struct sys_call *c, int dirfd, uint64_t upath, int flags, mode_t mode,
			   uint64_t resolve)
{
	const struct guest_cred *cr;
	struct tmpfs_walk w = { 0 };
	struct tmpfs_file *tf;
	struct path_ref *p = &(struct path_ref){ 0 };
	int64_t r;

	/* build_open_flags() comes before any lookup. */
	if (c->sb->nmounts && (r = tmpfs_open_check(flags)))
		return r;
	r = path_lookup(c, dirfd, upath, 0, p);

	/* A path we cannot read is no path of ours: the host gives the guest its error. */
	if (r && !c->sb->nmounts)
		return SYS_CONTINUE;
	if (r)
		return r;
	if (is_kcov_path(p->buf))
		return kcovfs_open(c, flags);
	if (!p->mnt)
		return SYS_CONTINUE;
	r = sys_cred(c, &cr);
	if (r)
		return r;
	for (;;) {
		struct mount *m;

		r = tmpfs_openat(p->mnt->fs, &cr->fs, p->dir, p->path, flags, mode, resolve, &w, &tf);
		if (r != -TMPFS_EXIT)
			break;
		if (!w.host_path || strlen(w.host_path) >= sizeof(p->buf)) {
			free(w.host_path);
			return -ENAMETOOLONG;
		}
		strcpy(p->buf, w.host_path);
		free(w.host_path);
		w.host_path = NULL;
		m = mount_find(c->sb, p->buf);
		if (!m)
			return is_kcov_path(p->buf) ? kcovfs_open(c, flags) : open_on_host(c, p->buf, flags, mode);
		p->mnt = m;
		p->dir = NULL;
		p->path = p->buf;
	}
	return r ? r : tmpfs_install(c, tf, flags);
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

		/* copy_struct_from_user(): unknown trailing bytes must be zero. */
		if (guest_read(c->tid, &byte, c->args[2] + off, 1) || byte)
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

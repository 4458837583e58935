// SPDX-License-Identifier: MIT
/*
 * Open tmpfs files as sandbox files. The guest holds a placeholder for each
 * open file description: an empty, fully sealed memfd whose inode names the
 * description (dup, fork and SCM_RIGHTS share it, as they share a struct
 * file). Every syscall on it traps, so the placeholder itself is never read
 * or written. The supervisor keeps no reference to it: when the guest drops
 * its last one, the inode dies and inotify says IN_IGNORED, which is the
 * description's release (an unlinked file's space is freed then, as on Linux).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../vfs.h"

static const struct tmpfs_cred *cred_of(struct sys_call *c)
{
	const struct guest_cred *gc;

	return sys_cred(c, &gc) ? NULL : &gc->fs;
}

static int64_t tf_read(struct sys_call *c, struct kfile *f, void *buf, size_t len, int64_t off)
{
	const struct tmpfs_cred *cr = cred_of(c);

	if (!cr)
		return -ESRCH;
	return off < 0 ? tmpfs_read(f->priv, cr, buf, len) : tmpfs_pread(f->priv, cr, buf, len, off);
}

static int64_t tf_write(struct sys_call *c, struct kfile *f, const void *buf, size_t len,
			int64_t off)
{
	const struct tmpfs_cred *cr = cred_of(c);

	if (!cr)
		return -ESRCH;
	return off < 0 ? tmpfs_write(f->priv, cr, buf, len) : tmpfs_pwrite(f->priv, cr, buf, len, off);
}

static int64_t tf_llseek(struct kfile *f, int64_t off, int whence)
{
	return tmpfs_lseek(f->priv, off, whence);
}

static int tf_getattr(struct kfile *f, struct stat *st)
{
	return tmpfs_fstat(f->priv, st);
}

static int tf_statx(struct kfile *f, unsigned int mask, struct statx *stx)
{
	return tmpfs_fstatx(f->priv, mask, stx);
}

static int64_t tf_getdents64(struct kfile *f, void *buf, size_t len)
{
	return tmpfs_getdents64(f->priv, buf, len);
}

static int tf_fsync(struct kfile *f)
{
	return tmpfs_fsync(f->priv);
}

static int tf_ftruncate(struct sys_call *c, struct kfile *f, int64_t len)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_ftruncate(f->priv, cr, len) : -ESRCH;
}

static int tf_fchmod(struct sys_call *c, struct kfile *f, mode_t mode)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_fchmod(f->priv, cr, mode) : -ESRCH;
}

static int tf_fchown(struct sys_call *c, struct kfile *f, uid_t uid, gid_t gid)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_fchown(f->priv, cr, uid, gid) : -ESRCH;
}

static int tf_futimens(struct sys_call *c, struct kfile *f, const struct timespec *times)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_futimens(f->priv, cr, times) : -ESRCH;
}

static int tf_getfl(struct kfile *f)
{
	return tmpfs_file_getfl(f->priv);
}

static int tf_setfl(struct sys_call *c, struct kfile *f, int flags)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_file_setfl(f->priv, cr, flags) : -ESRCH;
}

static int tf_statfs(struct kfile *f, struct statfs *sf)
{
	return tmpfs_statfs(tmpfs_file_mount(f->priv), sf);
}

static void tf_release(struct kfile *f)
{
	tmpfs_file_put(f->priv);
}

static int64_t tf_mmap(struct sys_call *c, struct kfile *f, uint64_t len, int prot, int flags,
		       uint64_t off)
{
	(void)c, (void)f, (void)len, (void)prot, (void)flags, (void)off;
	/* File data lives in the supervisor; it cannot be mapped into the guest. */
	return -ENODEV;
}

static const struct kfile_ops tmpfs_file_ops = {
	.name = "tmpfs",
	.read = tf_read,
	.write = tf_write,
	.llseek = tf_llseek,
	.mmap = tf_mmap,
	.getattr = tf_getattr,
	.statx = tf_statx,
	.getdents64 = tf_getdents64,
	.fsync = tf_fsync,
	.ftruncate = tf_ftruncate,
	.fchmod = tf_fchmod,
	.fchown = tf_fchown,
	.futimens = tf_futimens,
	.getfl = tf_getfl,
	.setfl = tf_setfl,
	.statfs = tf_statfs,
	.release = tf_release,
	/* No ioctl: tmpfs files answer ENOTTY to all but the VFS's generic ones. */
};

struct tmpfs_file *tmpfs_file_of(struct kfile *f)
{
	return f && f->ops == &tmpfs_file_ops ? f->priv : NULL;
}

/* A memfd sealed against everything: it only names an open file description, a cwd... */
int placeholder_new(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(fd);
		return -errno;
	}
	return fd;
}

int64_t tmpfs_install(struct sys_call *c, struct tmpfs_file *tf, int flags)
{
	char path[64];
	struct kfile *f;
	int fd = placeholder_new("ukcov-tmpfs"), wd;

	if (fd < 0) {
		tmpfs_file_put(tf);
		return fd;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	wd = inotify_add_watch(c->sb->inotify_fd, path, IN_DELETE_SELF);
	f = wd < 0 ? NULL : kfile_new(c->sb, fd, &tmpfs_file_ops, tf, flags);
	if (!f) {
		close(fd);
		tmpfs_file_put(tf);
		return -ENOMEM;
	}
	f->wd = wd;
	f->remote_handle = remote_handle_of(c);
	c->sb->nwatches++;
	c->install.srcfd = fd;
	c->install.target = -1; /* the lowest free fd, as open(2) gives */
	c->install.flags = flags & O_CLOEXEC;
	c->close_install_src = true;
	return SYS_INSTALL;
}

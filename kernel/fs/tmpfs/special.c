/* ukcov tmpfs: special nodes (fifos, sockets, character and block
 * devices) and mknod(2), as shmem_mknod() with init_special_inode().
 *
 * The core only keeps their names and attributes, as tmpfs does: what
 * opening a fifo or a device, or connecting to a socket, does is the
 * caller's (a fifo's pipe lives in pipefs, a socket's in sockfs, a device
 * is its driver's; see kernel/fs/fifo.c, devnode.c and sys_socket.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpfs_int.h"

/* may_mknod(): the type is checked before anything is looked up */
static int may_mknod(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
	case 0: /* zero mode translates to S_IFREG */
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

int tmpfs_mknodat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		  struct tmpfs_inode *dir, const char *path, mode_t mode,
		  uint32_t dev, struct tmpfs_walk *w, struct tmpfs_inode **out)
{
	mode_t type = mode & S_IFMT ? mode & S_IFMT : S_IFREG;
	struct tmpfs_inode *ino;
	struct tmpfs_nd nd;
	int err = may_mknod(mode);

	if (err)
		return err;
	/* do_mknodat(): filename_create(), then vfs_create()/vfs_mknod(),
	 * both of which start with may_create() */
	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_PARENT);
	err = tmpfs_walk_create(&nd, path, 0);
	if (!err)
		err = tmpfs_may_create(&nd);
	if (err)
		return err;
	/* vfs_mknod(): device nodes need CAP_MKNOD, but for the whiteout
	 * (a character device 0:0), which anybody may make */
	if ((S_ISBLK(type) || (S_ISCHR(type) && dev)) &&
	    !(c->caps & TMPFS_CAP_MKNOD))
		return -EPERM;
	if (!S_ISCHR(type) && !S_ISBLK(type))
		dev = 0; /* do_mknodat() passes 0 for the rest */
	/* vfs_prepare_mode(): the umask, and the permission bits (setuid,
	 * setgid and sticky included) of what was asked */
	mode = tmpfs_acl_umask(nd.parent, c, tmpfs_strip_sgid(nd.parent, c, mode & 07777));
	err = tmpfs_create_node(&nd, type | mode, &ino);
	if (err)
		return err;
	ino->rdev = dev;
	if (out)
		*out = ino;
	return 0;
}

int tmpfs_unlink_if(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *dir, const char *path,
		    struct tmpfs_inode *ino)
{
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, dir, NULL, TMPFS_WALK_PARENT);
	err = tmpfs_walk(&nd, path);
	if (err)
		return err;
	if (nd.inode != ino)
		return -ENOENT;
	return tmpfs_unlinkat(m, c, dir, path, 0, NULL);
}

mode_t tmpfs_inode_mode(const struct tmpfs_inode *ino)
{
	return ino->mode;
}

uint32_t tmpfs_inode_rdev(const struct tmpfs_inode *ino)
{
	return ino->rdev;
}

uint64_t tmpfs_inode_ino(const struct tmpfs_inode *ino)
{
	return ino->ino;
}

void tmpfs_inode_accessed(struct tmpfs_inode *ino)
{
	tmpfs_touch_atime(ino);
}

/* unix_find_bsd(): write permission first, then the type */
int tmpfs_lookup_socket(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			struct tmpfs_inode *dir, const char *path,
			struct tmpfs_walk *w, struct tmpfs_inode **out)
{
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_FOLLOW);
	err = tmpfs_walk(&nd, path);
	if (err)
		return err;
	err = tmpfs_permission(nd.inode, c, TMPFS_MAY_WRITE);
	if (err)
		return err;
	if (!S_ISSOCK(nd.inode->mode))
		return -ECONNREFUSED;
	*out = nd.inode;
	return 0;
}

/* The attribute calls on an open fifo or device, whose open file is not
 * the core's (fstat, fchmod, fchown, futimens on it act on the node). */
void tmpfs_inode_stat(struct tmpfs_inode *ino, struct stat *st)
{
	tmpfs_fill_stat(ino, st);
}

void tmpfs_inode_statx(struct tmpfs_inode *ino, unsigned mask,
		       struct statx *sx)
{
	tmpfs_fill_statx(ino, mask, sx);
}

int tmpfs_inode_chmod(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		      mode_t mode)
{
	return tmpfs_setmode(ino, c, mode);
}

int tmpfs_inode_chown(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		      uid_t uid, gid_t gid)
{
	return tmpfs_setowner(ino, c, uid, gid);
}

int tmpfs_inode_utimens(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
			const struct timespec *times)
{
	return tmpfs_settimes(ino, c, times);
}

/*
 * An unlinked node nobody can open any more. Asked by the supervisor's
 * collections (host_nodes.c), which run when a count is crossed, so built
 * without coverage as they are (KERNEL_NOCOV, kernel/kernel.h, above this
 * leaf): a fuzzer's replays of one input would differ by when they ran.
 */
TMPFS_NOCOV int tmpfs_inode_unlinked(const struct tmpfs_inode *ino)
{
	return !ino->nlink;
}

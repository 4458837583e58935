// SPDX-License-Identifier: MIT
/*
 * Open tmpfs files as sandbox files, two ways.
 *
 * A regular file or a directory (not O_PATH): the guest's fd is a host
 * open file description of the file's host object (tmpfs_file_host_fd():
 * a regular file's data file, a directory's empty, removed host directory,
 * one per inode, in the mount's store, see fs/tmpfs/store.c), which the
 * supervisor opens through /proc/self/fd with the guest's access mode and
 * status flags, and installs. Its offset and flags are the host
 * description's own, so no record per description is needed: each call
 * loads them (fd_get()), the tmpfs core serves it on the file's one
 * `anchor` description, and they are written back (kfile_desc_put()).
 * mmap, msync, mprotect, fcntl record locks (POSIX and OFD) and flock then
 * go to the host kernel, on the same shmem pages the core reads and writes:
 * Linux's own semantics, across guest processes (per-process POSIX locks
 * dropped on any close, blocking waits in the guest's thread, EINTR,
 * EDEADLK), with the supervisor never waiting. One kfile stands for all the
 * file's descriptions; inotify reports each description's final close
 * (IN_CLOSE_WRITE/NOWRITE, one per last fput, also of a description only a
 * mapping still holds), and when as many were closed as were made, the
 * file is released (an unlinked file's space is freed then, as on Linux).
 * A directory's description is the same: locks on it are the host's on
 * the one host directory (they conflict across descriptions and processes,
 * as Linux's on the directory's inode); its getdents cursor is the host
 * description's file position (the core's cookie: a host tmpfs directory's
 * lseek takes any non-negative offset), its O_DIRECTORY the host's own.
 *
 * O_PATH opens (which SECCOMP_IOCTL_NOTIF_ADDFD cannot
 * pass): a placeholder per open file description, an empty, fully sealed
 * memfd whose inode names the description (dup, fork and SCM_RIGHTS share
 * it, as they share a struct file). Every syscall on it traps, so the
 * placeholder itself is never read or written. The supervisor keeps no
 * reference to it: when the guest drops its last one, the inode dies and
 * inotify says IN_IGNORED, which is the description's release.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fs.h"

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

static void tf_notify_access(struct kfile *f)
{
	tmpfs_file_notify_access(f->priv);
}

static int64_t tf_write(struct sys_call *c, struct kfile *f, const void *buf, size_t len,
			int64_t off, int rwf)
{
	const struct tmpfs_cred *cr = cred_of(c);
	enum tmpfs_append how = rwf & RWF_APPEND ? TMPFS_APPEND_ON
				: rwf & RWF_NOAPPEND ? TMPFS_APPEND_OFF : TMPFS_APPEND_FILE;

	if (!cr)
		return -ESRCH;
	return tmpfs_write_at(f->priv, cr, buf, len, off, how);
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

static int tf_fallocate(struct sys_call *c, struct kfile *f, int mode, int64_t off, int64_t len)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_fallocate(f->priv, cr, mode, off, len) : -ESRCH;
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

/* put_user() of an int or a loff_t answer */
static int64_t put_int(struct sys_call *c, uint64_t arg, int64_t v, size_t size)
{
	int i = (int)v;

	return guest_write(c->tid, arg, size == sizeof(i) ? (void *)&i : (void *)&v, size) ? -EFAULT : 0;
}

/* fileattr_fill_flags() / fileattr_fill_xflags(): the flags both spellings share */
static const struct { uint32_t fl, xfl; } common_flags[] = {
	{ FS_SYNC_FL, FS_XFLAG_SYNC }, { FS_IMMUTABLE_FL, FS_XFLAG_IMMUTABLE },
	{ FS_APPEND_FL, FS_XFLAG_APPEND }, { FS_NODUMP_FL, FS_XFLAG_NODUMP },
	{ FS_NOATIME_FL, FS_XFLAG_NOATIME }, { 0x02000000 /* FS_DAX_FL */, FS_XFLAG_DAX },
	{ 0x20000000 /* FS_PROJINHERIT_FL */, FS_XFLAG_PROJINHERIT },
};
#define NCOMMON (sizeof(common_flags) / sizeof(common_flags[0]))

static uint32_t to_xflags(uint32_t flags)
{
	uint32_t x = 0;

	for (unsigned int i = 0; i < NCOMMON; i++)
		x |= flags & common_flags[i].fl ? common_flags[i].xfl : 0;
	return x;
}

/*
 * FS_IOC_FSSETXATTR: the common xflags become flags, the others the file
 * keeps (vfs_fileattr_set()); anything else asked for is fsx.
 */
static uint32_t from_xflags(const struct fsxattr *fa, uint32_t old, int *fsx)
{
	uint32_t flags = 0, common_x = 0, common_fl = 0;

	for (unsigned int i = 0; i < NCOMMON; i++) {
		flags |= fa->fsx_xflags & common_flags[i].xfl ? common_flags[i].fl : 0;
		common_x |= common_flags[i].xfl;
		common_fl |= common_flags[i].fl;
	}
	*fsx = (fa->fsx_xflags & ~common_x) || fa->fsx_extsize || fa->fsx_projid || fa->fsx_cowextsize;
	return flags | (old & ~common_fl);
}

/*
 * ioctl_getflags(), ioctl_setflags() (chattr's flags, an int in guest
 * memory) and ioctl_fsgetxattr(), ioctl_fssetxattr() (a struct fsxattr).
 */
static int64_t tf_flags_ioctl(struct sys_call *c, struct kfile *f, unsigned int cmd, unsigned long arg)
{
	const struct tmpfs_cred *cr;
	struct fsxattr fa = { 0 };
	uint32_t flags = 0, old;
	int r, fsx = 0;

	r = tmpfs_file_getflags(f->priv, &old);
	if (r)
		return r;
	if (cmd == FS_IOC_GETFLAGS)
		return put_int(c, arg, (int)old, sizeof(int));
	if (cmd == FS_IOC_FSGETXATTR) {
		fa.fsx_xflags = to_xflags(old);
		return guest_write(c->tid, arg, &fa, sizeof(fa)) ? -EFAULT : 0;
	}
	if (cmd == FS_IOC_SETFLAGS && guest_read(c->tid, &flags, arg, sizeof(flags)))
		return -EFAULT;
	if (cmd == FS_IOC_FSSETXATTR) {
		if (guest_read(c->tid, &fa, arg, sizeof(fa)))
			return -EFAULT;
		flags = from_xflags(&fa, old, &fsx);
	}
	cr = cred_of(c);
	return cr ? tmpfs_file_setflags(f->priv, cr, flags, fsx) : -ESRCH;
}

/*
 * ioctl_fibmap() (file_ioctl(): regular files only): tmpfs has no bmap, so
 * past the checks the block asked for is written back and the answer is
 * EINVAL. capable(CAP_SYS_RAWIO) is the initial namespace's.
 */
static int64_t tf_fibmap(struct sys_call *c, uint64_t arg)
{
	const struct guest_cred *gc;
	int block, r;

	if (sys_cred(c, &gc))
		return -ESRCH;
	if (!(gc->cap_eff >> 17 /* CAP_SYS_RAWIO */ & 1))
		return -EPERM;
	if (guest_read(c->tid, &block, arg, sizeof(block)))
		return -EFAULT;
	if (block < 0)
		return -EINVAL;
	r = (int)put_int(c, arg, block, sizeof(block));
	return r ? r : -EINVAL;
}

/*
 * The ioctls Linux's do_vfs_ioctl() answers for every file (FIOCLEX,
 * FIONBIO... are sys_file.c's); tmpfs itself has none.
 */
static int64_t tf_ioctl(struct sys_call *c, struct kfile *f, unsigned int cmd, unsigned long arg)
{
	struct stat st;
	int64_t pos;
	int flags;

	if (tmpfs_fstat(f->priv, &st))
		return -EBADF;
	switch (cmd) {
	case FIONREAD: /* bytes between the offset and the end, as an int */
		if (!S_ISREG(st.st_mode))
			return -ENOTTY;
		tmpfs_file_state(f->priv, &flags, &pos);
		return put_int(c, arg, st.st_size - pos, sizeof(int));
	case FIOQSIZE: /* inode_get_bytes() */
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
			return -ENOTTY;
		return put_int(c, arg, (int64_t)st.st_blocks * 512, sizeof(int64_t));
	case FIGETBSZ: /* the super block's block size: a page */
		return put_int(c, arg, 4096, sizeof(int));
	case FIBMAP:
		return S_ISREG(st.st_mode) ? tf_fibmap(c, arg) : -ENOTTY;
	case FS_IOC_GETFLAGS:
	case FS_IOC_SETFLAGS:
	case FS_IOC_FSGETXATTR:
	case FS_IOC_FSSETXATTR:
		return tf_flags_ioctl(c, f, cmd, arg);
	default:
		return -ENOTTY;
	}
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

/* The guest's descriptions' closes, for inotify watches of the file's name (fs/tmpfs/fsnotify.c). */
static void td_closed(struct kfile *f, bool write)
{
	tmpfs_file_notify_close(f->priv, write, 0);
	/* closes merged by inotify count one: the file's release puts the rest right */
	if (f->closed_w <= f->opened_w)
		tmpfs_file_set_writers(f->priv, f->opened_w - f->closed_w);
}

static void td_release(struct kfile *f)
{
	tmpfs_file_notify_close(f->priv, 0, 1);
	tmpfs_file_put(f->priv);
}

static int64_t tf_mmap(struct sys_call *c, struct kfile *f, uint64_t len, int prot, int flags,
		       uint64_t off)
{
	(void)c, (void)f, (void)len, (void)prot, (void)flags, (void)off;
	/* File data lives in the supervisor; it cannot be mapped into the guest. */
	return -ENODEV;
}

/* A host description: the host maps it, as Linux's shmem_mmap() would. */
static int64_t td_mmap(struct sys_call *c, struct kfile *f, uint64_t len, int prot, int flags,
		       uint64_t off)
{
	(void)c, (void)len, (void)prot, (void)flags, (void)off;
	tmpfs_file_mapped(f->priv); /* its faults add pages we do not see */
	return SYS_CONTINUE;
}

/*
 * A description's tag: its opener among the anchor's (f_cred, for
 * linkat(AT_EMPTY_PATH)), and the open flags Linux keeps in f_flags that
 * an open through /proc/self/fd refuses (O_NOFOLLOW, O_TMPFILE).
 *
 * In a mount's private store (fs/tmpfs/store.c) a description with any of
 * that (an opener but the first, or one of the flags) is opened by a name
 * of the data file that says who and which flags, always with O_NOFOLLOW,
 * which no description opened through /proc/self/fd can have: a host
 * O_NOFOLLOW sends td_load() to read its path back (a readlink, ~1.5 us),
 * its absence says "the first opener, neither flag".  The description's
 * F_GETSIG and owner stay the guest's own, as the host's signal code
 * (leases, SIGIO) reads them.
 *
 * Without the store (memfds) the tag is the description's F_GETSIG
 * (0..64): 16 openers and two flags, and the guest's F_SETSIG is refused
 * (tmpfs_desc_sig_own()); a tag-0 description is one of an unknown
 * opener (any of the 16 is accepted).  A directory in the store is opened
 * by its own name and needs no tag at all (no opener to check:
 * linkat(AT_EMPTY_PATH) of a directory is EPERM; its O_NOFOLLOW is its own).
 */
#define TAG_OPENERS 16
#define TAG_NOFOLLOW 1
#define TAG_TMPFILE 2

static int tag_make(int opener, int flags)
{
	int extra = (flags & O_NOFOLLOW ? TAG_NOFOLLOW : 0) |
		    ((flags & O_TMPFILE) == O_TMPFILE ? TAG_TMPFILE : 0);

	if (opener < 1 || opener > TAG_OPENERS)
		return 0;
	return 1 + (opener - 1) + TAG_OPENERS * extra;
}

/*
 * The tag as F_SETSIG stores it, and back (the swap is its own inverse): a
 * new description's F_GETSIG is 0, so the commonest tag, 1 (the first
 * opener, neither flag), is stored as 0 and needs no F_SETSIG at open;
 * "none" (0) is stored as 1.
 */
static int tag_sig(int tag)
{
	return tag == 0 ? 1 : tag == 1 ? 0 : tag;
}

static bool in_store(struct kfile *f)
{
	return tmpfs_mount_private_store(tmpfs_file_mount(f->priv));
}

static bool is_dir(struct kfile *f)
{
	return S_ISDIR(tmpfs_inode_mode(tmpfs_file_inode(f->priv)));
}

bool tmpfs_desc_sig_own(struct kfile *f)
{
	return !f->ops->host_desc || in_store(f);
}

/* The store's long tag: the description's own name. */
static int name_tag(int hfd, int *opener, int *variant)
{
	char proc[64], link[128];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", hfd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		return -EBADF;
	link[n] = '\0';
	tmpfs_desc_parse(link, opener, variant);
	return 0;
}

/* The tag of a description without the store: its F_GETSIG. */
static int sig_tag(int hfd, int *opener, int *variant)
{
	int tag = fcntl(hfd, F_GETSIG), extra;

	if (tag < 0)
		return -EBADF;
	tag = tag_sig(tag);
	extra = tag > 0 ? (tag - 1) / TAG_OPENERS : 0;
	*opener = tag > 0 ? (tag - 1) % TAG_OPENERS + 1 : 0;
	*variant = (extra & TAG_NOFOLLOW ? TMPFS_DESC_NOFOLLOW : 0) |
		   (extra & TAG_TMPFILE ? TMPFS_DESC_TMPFILE : 0);
	return 0;
}

/* hfd -1: a call that reads no tag (the opener then reads as unknown, 0). */
static int td_load(struct kfile *f, int hfd, int flags, int64_t pos)
{
	int opener = 0, variant = 0, err = 0;

	if (hfd >= 0 && !in_store(f))
		err = sig_tag(hfd, &opener, &variant);
	else if (hfd >= 0 && !is_dir(f) && (flags & O_NOFOLLOW))
		err = name_tag(hfd, &opener, &variant);
	else if (hfd >= 0 && !is_dir(f))
		opener = 1;
	if (err)
		return err;
	if (in_store(f) && !is_dir(f)) /* the host's O_NOFOLLOW is the tag's mark */
		flags &= ~O_NOFOLLOW;
	if (variant & TMPFS_DESC_NOFOLLOW)
		flags |= O_NOFOLLOW;
	if (variant & TMPFS_DESC_TMPFILE)
		flags |= O_TMPFILE;
	tmpfs_file_set_state(f->priv, flags, pos, opener);
	return 0;
}

static void td_save(struct kfile *f, int *flags, int64_t *pos)
{
	tmpfs_file_state(f->priv, flags, pos);
	/* the tag's, not the host description's (a directory's O_DIRECTORY is its own) */
	if ((*flags & O_TMPFILE) == O_TMPFILE)
		*flags &= ~O_TMPFILE;
	/* the host description's own: the tag's mark, or a directory's */
	*flags = (*flags & ~O_NOFOLLOW) | (f->flags & O_NOFOLLOW);
}

static bool td_unlinked(struct kfile *f)
{
	return tmpfs_inode_unlinked(tmpfs_file_inode(f->priv));
}

static const struct kfile_ops tmpfs_file_ops = {
	.name = "tmpfs",
	.tmpfs = true,
	.read = tf_read,
	.notify_access = tf_notify_access,
	.write = tf_write,
	.llseek = tf_llseek,
	.mmap = tf_mmap,
	.getattr = tf_getattr,
	.statx = tf_statx,
	.getdents64 = tf_getdents64,
	.fsync = tf_fsync,
	.ftruncate = tf_ftruncate,
	.fallocate = tf_fallocate,
	.fchmod = tf_fchmod,
	.fchown = tf_fchown,
	.futimens = tf_futimens,
	.getfl = tf_getfl,
	.setfl = tf_setfl,
	.statfs = tf_statfs,
	.release = tf_release,
	.ioctl = tf_ioctl,
};

/* Regular files: the same calls, on host descriptions of the data memfd. */
static const struct kfile_ops tmpfs_data_ops = {
	.name = "tmpfs",
	.tmpfs = true,
	.host_desc = true,
	.desc_load = td_load,
	.desc_save = td_save,
	.unlinked = td_unlinked,
	.desc_closed = td_closed,
	.read = tf_read,
	.notify_access = tf_notify_access,
	.write = tf_write,
	.llseek = tf_llseek,
	.mmap = td_mmap,
	.getattr = tf_getattr,
	.statx = tf_statx,
	.getdents64 = tf_getdents64,
	.fsync = tf_fsync,
	.ftruncate = tf_ftruncate,
	.fallocate = tf_fallocate,
	.fchmod = tf_fchmod,
	.fchown = tf_fchown,
	.futimens = tf_futimens,
	.getfl = tf_getfl,
	.setfl = tf_setfl,
	.statfs = tf_statfs,
	.release = td_release,
	.ioctl = tf_ioctl,
};

/*
 * Flags F_GETFL shows that open() of the memfd through /proc/self/fd would
 * refuse or act on: a magic link is no directory and is followed.
 */
#define DESC_OPEN_ONLY (O_NOFOLLOW | O_DIRECTORY | O_TMPFILE | O_PATH | O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY)

/*
 * Our fd `data` opened anew: from /proc/self/fd opened once, the walk is
 * one component instead of four.
 */
static int reopen(struct sandbox *sb, int data, const char *path, int flags)
{
	char name[16];

	if (sb->self_fd_dir <= 0) /* 0: a sandbox set up without it (the fuzzer's) */
		return open(path, flags);
	snprintf(name, sizeof(name), "%d", data);
	return openat(sb->self_fd_dir, name, flags);
}

/* O_DIRECTORY when it is a directory's own (not O_TMPFILE's): kept, as F_GETFL shows it */
static int dir_only(int flags)
{
	return (flags & O_TMPFILE) == O_TMPFILE ? 0 : O_DIRECTORY;
}

/* The open flags a store's name of a data file records (TMPFS_DESC_*). */
static int desc_variant(int flags)
{
	return ((flags & O_TMPFILE) == O_TMPFILE ? TMPFS_DESC_TMPFILE : 0) |
	       (flags & O_NOFOLLOW ? TMPFS_DESC_NOFOLLOW : 0);
}

/* The host description through /proc/self/fd: returns it or -errno. */
static int desc_open(struct sandbox *sb, int data, const char *path, int flags)
{
	int only = DESC_OPEN_ONLY & ~dir_only(flags);
	int fd = reopen(sb, data, path, (flags & ~only) | O_CLOEXEC);

	/* shmem takes O_DIRECT since Linux 6.6; before, the description goes without it. */
	if (fd < 0 && errno == EINVAL && (flags & O_DIRECT))
		fd = reopen(sb, data, path, (flags & ~(only | O_DIRECT)) | O_CLOEXEC);
	if (fd < 0)
		return errno == EMFILE || errno == ENFILE ? -ENFILE : -errno;
	return fd;
}

/*
 * Which inode our fd `data` (a data file, a directory's host object) was
 * last seen to be: an fstat spared per open of a file that is open
 * already. The number may be stale (that file died, the fd was reused), so
 * the kfile it finds counts only if its anchor is the same tmpfs inode
 * (data_kfile()).
 */
static struct {
	int fd;
	dev_t dev;
	ino_t ino;
} data_seen[64];

static unsigned int data_slot(int data)
{
	return (unsigned int)data % (sizeof(data_seen) / sizeof(data_seen[0]));
}

/*
 * *fp: the kfile of tf's host object `data`, found without an fstat when
 * data_seen knows it, else by its fstat (*st, which a new kfile needs, and
 * *stat_made); NULL when it has none. Whether data_seen knew it depends on
 * the files before, not on this call (KERNEL_NOCOV). Returns 0 or -ENOMEM.
 */
KERNEL_NOCOV static int data_kfile(struct sandbox *sb, struct tmpfs_file *tf, int data,
				   struct stat *st, bool *stat_made, struct kfile **fp)
{
	unsigned int i = data_slot(data);
	struct kfile *f = NULL;

	if (data_seen[i].fd == data && data_seen[i].ino)
		f = kfile_find(sb, data_seen[i].dev, data_seen[i].ino);
	if (f && (f->ops != &tmpfs_data_ops || tmpfs_file_inode(f->priv) != tmpfs_file_inode(tf)))
		f = NULL;
	*stat_made = false;
	if (!f) {
		if (fstat(data, st))
			return -ENOMEM;
		*stat_made = true;
		data_seen[i].fd = data;
		data_seen[i].dev = st->st_dev;
		data_seen[i].ino = st->st_ino;
		f = kfile_find(sb, st->st_dev, st->st_ino);
	}
	*fp = f;
	return 0;
}

/*
 * A new host description of tf's host object (data file or directory) for the guest. The first one
 * makes the file's kfile, which keeps tf as the anchor the core serves every
 * description's calls on (and the inode alive); later ones drop theirs.
 */
static int64_t desc_install(struct sys_call *c, struct tmpfs_file *tf, int flags)
{
	int data = tmpfs_file_host_fd(tf), hfd, opener, oflags, sig;
	struct kfile *f = NULL;
	bool store, by_name, stat_made;
	const struct stat *host;
	char path[64];
	struct stat st;

	if (data < 0) {
		tmpfs_file_put(tf);
		return data;
	}
	if (data_kfile(c->sb, tf, data, &st, &stat_made, &f)) {
		tmpfs_file_put(tf);
		return -ENOMEM;
	}
	if (f && f->ops != &tmpfs_data_ops)
		f = NULL; /* a dead placeholder's number, reused: kfile_new() replaces it */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", data);
	if (!f) {
		int wd = files_add_watch(c->sb, path, IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);

		f = wd < 0 ? NULL : kfile_new_stat(c->sb, &st, &tmpfs_data_ops, tf, 0);
		if (!f) {
			if (wd >= 0)
				inotify_rm_watch(c->sb->inotify_fd, wd);
			tmpfs_file_put(tf);
			return -ENOMEM;
		}
		f->wd = wd;
		f->remote_handle = remote_handle_of(c);
		c->sb->nwatches++;
		tf = NULL; /* the anchor now */
	}
	/* Its opener (f_cred) among the anchor's, for the description's tag. */
	store = tmpfs_mount_private_store(tmpfs_file_mount(f->priv));
	opener = tf ? tmpfs_file_add_opener(f->priv, tf, store ? 0 : TAG_OPENERS) : 1;
	oflags = tmpfs_file_getfl(tf ? tf : f->priv);
	/* in the store: any tag but the commonest, and directories, by name */
	by_name = store && (tag_make(opener, oflags) != 1 || is_dir(f));
	if (opener >= 0)
		tmpfs_file_notify_open(f->priv, oflags);
	/*
	 * A description opened by name is checked against the host object it
	 * must be: f->priv's, which is tf's `data` (the same inode's, made
	 * once for its life), whose fstat data_kfile() may have made already.
	 */
	host = stat_made ? &st : NULL;
	if (opener < 0)
		hfd = opener;
	else if (by_name && is_dir(f))
		hfd = tmpfs_file_desc_open(f->priv, opener, 0,
					   oflags & ~(DESC_OPEN_ONLY & ~O_NOFOLLOW & ~O_DIRECTORY), host);
	else if (by_name)
		hfd = tmpfs_file_desc_open(f->priv, opener, desc_variant(oflags),
					   (oflags & ~DESC_OPEN_ONLY) | O_NOFOLLOW, host);
	else
		hfd = desc_open(c->sb, data, path, oflags);
	if (tf)
		tmpfs_file_put(tf); /* its flags are the host description's now */
	if (hfd < 0 && opener >= 0)
		tmpfs_file_notify_close(f->priv, (oflags + 1) & 2, 0);
	if (hfd < 0 && !f->opened)
		kfile_release_wd(c->sb, f->wd); /* no description: no event would ever release it */
	if (hfd < 0)
		return hfd;
	/* Made: its final close is one event, also when the ADDFD fails and we close it. */
	/*
	 * All made alike (the commonest case): fd_get() may skip their F_GETFL.
	 * Not a file's description opened by name: its O_NOFOLLOW is the host
	 * description's own, another's with the same flags is in its tag.
	 */
	if (!f->opened && !(by_name && !is_dir(f)))
		f->open_fl = oflags;
	else if (f->open_fl != oflags || (by_name && !is_dir(f)))
		f->open_fl = -1;
	f->opened++;
	if ((oflags + 1) & 2) /* FMODE_WRITE (OPEN_FMODE()): its close is IN_CLOSE_WRITE */
		f->opened_w++;
	tmpfs_file_set_writers(f->priv, f->opened_w - f->closed_w);
	/* In the store the tag is no signal (td_load()). */
	sig = store ? 0 : tag_sig(tag_make(opener, oflags));
	if (sig && fcntl(hfd, F_SETSIG, sig)) {
		close(hfd);
		return -ENOMEM;
	}
	return sys_install_opened(c, hfd, flags);
}

int64_t tmpfs_lease_break(struct sys_call *c, struct tmpfs_mount *m, const struct tmpfs_cred *cr,
			  struct tmpfs_inode *dir, const char *path, int flags, uint64_t resolve)
{
	struct tmpfs_file *tf;
	struct kfile *f = NULL;
	struct stat st;
	int64_t r = 0;
	int data;

	if (!lease_any() || (flags & O_PATH) || (flags & O_TMPFILE) == O_TMPFILE)
		return 0;
	if (tmpfs_openat(m, cr, dir, path, flags & ~(O_CREAT | O_EXCL | O_TRUNC), 0, resolve, NULL, &tf))
		return 0; /* refused, or no such file: the call itself says so */
	data = S_ISREG(tmpfs_inode_mode(tmpfs_file_inode(tf))) ? tmpfs_file_host_fd(tf) : -1;
	if (data >= 0 && !fstat(data, &st))
		f = kfile_find(c->sb, st.st_dev, st.st_ino);
	if (f && f->ops == &tmpfs_data_ops)
		r = lease_break(c, f, flags);
	tmpfs_file_put(tf);
	return r;
}

static int64_t install_new(struct sys_call *c, struct tmpfs_file *tf, int flags)
{
	struct kfile *f;
	int err;

	mode_t mode = tmpfs_inode_mode(tmpfs_file_inode(tf));

	if ((S_ISREG(mode) || S_ISDIR(mode)) && !(flags & O_PATH))
		return desc_install(c, tf, flags);
	err = placeholder_install(c, "ukcov-tmpfs", &tmpfs_file_ops, tf, flags, -1, &f);
	if (err) {
		tmpfs_file_put(tf);
		return err;
	}
	f->remote_handle = remote_handle_of(c);
	return SYS_INSTALL;
}

/* install.done of an open: a file the open made goes again when the guest's table was full */
static void install_done(void *ctx, bool full)
{
	struct tmpfs_file *tf = ctx;

	if (full)
		tmpfs_open_undo(tf);
	tmpfs_file_put(tf);
}

int64_t tmpfs_install(struct sys_call *c, struct tmpfs_file *tf, int flags)
{
	const struct guest_cred *gc;
	int64_t r;

	tmpfs_file_get(tf);
	r = install_new(c, tf, flags);
	/* Linux allocates all it needs before it creates: a file it made must go again */
	if (SYS_IS_ERRNO(r))
		tmpfs_open_undo(tf);
	else if (!sys_cred(c, &gc))
		tmpfs_open_truncate(tf, &gc->fs);
	if (r == SYS_INSTALL) {
		c->install.done = install_done; /* takes the reference */
		c->install.done_ctx = tf;
		return r;
	}
	tmpfs_file_put(tf);
	return r;
}

/* ukcov tmpfs: open file descriptions and the calls on them.
 *
 * Checks follow fs/read_write.c and fs/open.c: an O_PATH description
 * allows only fstat, fchdir, dup and the *at calls (-EBADF otherwise);
 * reads need FMODE_READ, writes FMODE_WRITE (-EBADF).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "tmpfs_int.h"

/* fs/read_write.c MAX_RW_COUNT */
#define TMPFS_MAX_RW ((size_t)(INT_MAX & ~(TMPFS_PAGE_SIZE - 1)))

void tmpfs_file_get(struct tmpfs_file *f)
{
	f->refs++;
}

void tmpfs_file_put(struct tmpfs_file *f)
{
	if (--f->refs > 0)
		return;
	f->mnt->nfiles--;
	f->mnt->nwriters -= f->own_writer + f->more_writers;
	tmpfs_inode_put(f->inode);
	free(f->more_creds);
	free(f);
}

int tmpfs_file_created(const struct tmpfs_file *f)
{
	return f->created && f->opener <= 1;
}

/* open for writing (FMODE_WRITE): what keeps a mount from going read-only */
int tmpfs_file_writer(const struct tmpfs_file *f)
{
	int acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
}

void tmpfs_file_set_writers(struct tmpfs_file *f, uint64_t open_w)
{
	int64_t more = (int64_t)open_w - f->own_writer;

	f->mnt->nwriters += more - f->more_writers;
	f->more_writers = more;
}

struct tmpfs_inode *tmpfs_file_inode(struct tmpfs_file *f)
{
	return f->inode;
}

struct tmpfs_mount *tmpfs_file_mount(struct tmpfs_file *f)
{
	return f->mnt;
}

/* Linux compares cred pointers: serials when known, else the contents */
static int same_cred(const struct tmpfs_cred *a, const struct tmpfs_cred *b)
{
	if (a->serial && b->serial)
		return a->serial == b->serial;
	return a->uid == b->uid && a->gid == b->gid && a->fsuid == b->fsuid &&
	       a->fsgid == b->fsgid && a->caps == b->caps &&
	       a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups, a->ngroups * sizeof(a->groups[0]));
}

static int opener_is(const struct tmpfs_file *f, size_t i, const struct tmpfs_cred *c)
{
	return same_cred(i ? &f->more_creds[i - 1] : &f->cred, c);
}

int tmpfs_file_linkat_empty_ok(struct tmpfs_file *f, const struct tmpfs_cred *c)
{
	if (c->caps & TMPFS_CAP_DAC_READ_SEARCH)
		return 0;
	if (f->opener > 0)
		return opener_is(f, (size_t)f->opener - 1, c) ? 0 : -ENOENT;
	for (size_t i = 0; i <= f->nmore_creds; i++)
		if (opener_is(f, i, c))
			return 0;
	return -ENOENT;
}

int tmpfs_file_add_opener(struct tmpfs_file *f, const struct tmpfs_file *other, size_t max)
{
	struct tmpfs_cred *v;

	for (size_t i = 0; i <= f->nmore_creds; i++)
		if (opener_is(f, i, &other->cred))
			return (int)i + 1;
	if ((max && f->nmore_creds >= max - 1) || f->nmore_creds >= INT32_MAX - 1)
		return 0;
	v = tmpfs_realloc(f->more_creds, (f->nmore_creds + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[f->nmore_creds++] = other->cred;
	f->more_creds = v;
	return (int)f->nmore_creds + 1;
}

int tmpfs_file_getfl(struct tmpfs_file *f)
{
	return f->flags;
}

void tmpfs_file_set_state(struct tmpfs_file *f, int flags, int64_t pos, int opener)
{
	f->flags = flags;
	f->pos = pos;
	f->opener = opener >= 0 && (size_t)opener <= f->nmore_creds + 1 ? opener : 0;
}

void tmpfs_file_state(const struct tmpfs_file *f, int *flags, int64_t *pos)
{
	*flags = f->flags;
	*pos = f->pos;
}

/* as setfl() in fs/fcntl.c: O_NOATIME needs ownership */
int tmpfs_file_setfl(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     int flags)
{
	const int settable = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT |
			     O_ASYNC;

	if (f->flags & O_PATH)
		return -EBADF;
	if (((flags ^ f->flags) & O_APPEND) && IS_APPEND(f->inode))
		return -EPERM;
	if ((flags & O_NOATIME) && !(f->flags & O_NOATIME) &&
	    !tmpfs_is_owner(f->inode, c))
		return -EPERM;
	f->flags = (f->flags & ~settable) | (flags & settable);
	return 0;
}

/* vfs_read(): FMODE_READ, or -EBADF */
static int can_read(const struct tmpfs_file *f)
{
	int acc = f->flags & O_ACCMODE;

	if (f->flags & O_PATH || (acc != O_RDONLY && acc != O_RDWR))
		return -EBADF;
	return 0;
}

static int can_write(const struct tmpfs_file *f)
{
	int acc = f->flags & O_ACCMODE;

	if (f->flags & O_PATH || (acc != O_WRONLY && acc != O_RDWR))
		return -EBADF;
	return 0;
}

/* rw_verify_area(): the end of the range must not overflow loff_t */
static int verify_area(int64_t pos, size_t len)
{
	int64_t end;

	if (len > (size_t)SSIZE_MAX)
		return -EINVAL;
	if (pos < 0 || __builtin_add_overflow(pos, (int64_t)len, &end))
		return -EINVAL;
	return 0;
}

static ssize_t do_read(struct tmpfs_file *f, void *buf, size_t len,
		       int64_t off)
{
	ssize_t n;

	if (verify_area(off, len))
		return -EINVAL;
	/* generic_read_dir(), after rw_verify_area() */
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (len > TMPFS_MAX_RW)
		len = TMPFS_MAX_RW;
	n = tmpfs_reg_read(f->inode, buf, len, off);
	/* shmem_file_read_iter() ends with file_accessed(), even for an
	 * empty read or one at the end of the file */
	if (!(f->flags & O_NOATIME))
		tmpfs_touch_atime(f->inode);
	return n;
}

ssize_t tmpfs_read(struct tmpfs_file *f, const struct tmpfs_cred *c,
		   void *buf, size_t len)
{
	ssize_t n;
	int err = can_read(f);

	(void)c;
	if (err)
		return err;
	n = do_read(f, buf, len, f->pos);
	if (n > 0)
		f->pos += n;
	return n;
}

ssize_t tmpfs_pread(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    void *buf, size_t len, int64_t off)
{
	int err = can_read(f);

	(void)c;
	if (err)
		return err;
	if (off < 0)
		return -EINVAL;
	return do_read(f, buf, len, off);
}

/*
 * As shmem_file_write_iter(): generic_write_checks() (O_APPEND, EFBIG at
 * the size limit), then file_remove_privs() and file_update_time() before
 * copying; a zero-length write changes nothing. @buf NULL: the caller's
 * buffer faults at once; the checks answer first, then the page
 * (tmpfs_reg_fault_page()), else -EFAULT.
 */
static ssize_t do_write(struct tmpfs_file *f, const struct tmpfs_cred *c,
			const void *buf, size_t len, int64_t *pos, bool append)
{
	struct tmpfs_inode *ino = f->inode;

	if (verify_area(*pos, len))
		return -EINVAL;
	if (len > TMPFS_MAX_RW)
		len = TMPFS_MAX_RW;
	tmpfs_reg_sync(ino);
	if (append)
		*pos = ino->reg.size;
	if (!len)
		return 0;
	if (c->has_fsize) {
		if ((uint64_t)*pos >= c->fsize)
			return -EFBIG;
		if ((uint64_t)len > c->fsize - (uint64_t)*pos)
			len = (size_t)(c->fsize - (uint64_t)*pos);
	}
	if (*pos >= TMPFS_MAX_FILESIZE)
		return -EFBIG;
	if ((uint64_t)len > (uint64_t)(TMPFS_MAX_FILESIZE - *pos))
		len = (size_t)(TMPFS_MAX_FILESIZE - *pos);
	tmpfs_kill_priv(ino, c);
	tmpfs_touch_mc(ino);
	/* the caller's buffer faulted at its first byte: the checks, the page, then the copy fails */
	if (!buf) {
		int err = tmpfs_reg_fault_page(ino, *pos);

		return err ? err : -EFAULT;
	}
	return tmpfs_reg_write(ino, buf, len, *pos);
}

/* IOCB_APPEND: the description's O_APPEND, unless pwritev2(2) said otherwise */
static bool appends(const struct tmpfs_file *f, enum tmpfs_append how)
{
	return how == TMPFS_APPEND_FILE ? (f->flags & O_APPEND) != 0 : how == TMPFS_APPEND_ON;
}

ssize_t tmpfs_write_at(struct tmpfs_file *f, const struct tmpfs_cred *c,
		       const void *buf, size_t len, int64_t off,
		       enum tmpfs_append how)
{
	int64_t pos = off < 0 ? f->pos : off;
	ssize_t n;
	int err = can_write(f);

	if (err)
		return err;
	/* kiocb_set_rw_flags(): RWF_NOAPPEND cannot undo an append-only inode's O_APPEND */
	if (how == TMPFS_APPEND_OFF && (f->flags & O_APPEND) && IS_APPEND(f->inode))
		return -EPERM;
	n = do_write(f, c, buf, len, &pos, appends(f, how));
	/* new_sync_write(): the offset moves only when something was written,
	 * even for O_APPEND */
	if (off < 0 && n > 0)
		f->pos = pos + n;
	return n;
}

ssize_t tmpfs_write(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    const void *buf, size_t len)
{
	return tmpfs_write_at(f, c, buf, len, -1, TMPFS_APPEND_FILE);
}

/* pwrite(2) on O_APPEND appends, as Linux does (see BUGS in pwrite(2)) */
ssize_t tmpfs_pwrite(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     const void *buf, size_t len, int64_t off)
{
	int err = can_write(f);

	if (err)
		return err;
	if (off < 0)
		return -EINVAL;
	return tmpfs_write_at(f, c, buf, len, off, TMPFS_APPEND_FILE);
}

/* vectors are flattened through one bounce buffer: simple, and the data
 * reaches the file in a single write as with Linux's iov_iter */
static ssize_t iov_total(const struct iovec *iov, int iovcnt)
{
	size_t total = 0;
	int i;

	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return (ssize_t)(total > TMPFS_MAX_RW ? TMPFS_MAX_RW : total);
}

ssize_t tmpfs_readv(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    const struct iovec *iov, int iovcnt, int64_t off)
{
	ssize_t total = iov_total(iov, iovcnt), n;
	size_t done = 0;
	char *tmp;
	int i;

	if (total < 0)
		return total;
	/* vfs_readv(): nothing to transfer, nothing done (not even EISDIR) */
	if (!total)
		return can_read(f);
	tmp = tmpfs_malloc((size_t)total + 1);
	if (!tmp)
		return -ENOMEM;
	n = off >= 0 ? tmpfs_pread(f, c, tmp, (size_t)total, off) :
		       tmpfs_read(f, c, tmp, (size_t)total);
	if (n == 0)
		tmpfs_file_notify_access(f);
	for (i = 0; n > 0 && i < iovcnt && done < (size_t)n; i++) {
		size_t k = iov[i].iov_len < (size_t)n - done ? iov[i].iov_len :
							      (size_t)n - done;

		memcpy(iov[i].iov_base, tmp + done, k);
		done += k;
	}
	free(tmp);
	return n;
}

ssize_t tmpfs_writev(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     const struct iovec *iov, int iovcnt, int64_t off)
{
	ssize_t total = iov_total(iov, iovcnt), n;
	size_t done = 0;
	char *tmp;
	int i;

	if (total < 0)
		return total;
	if (!total)
		return can_write(f);
	tmp = tmpfs_malloc((size_t)total + 1);
	if (!tmp)
		return -ENOMEM;
	for (i = 0; i < iovcnt && done < (size_t)total; i++) {
		size_t k = iov[i].iov_len < (size_t)total - done ?
				   iov[i].iov_len :
				   (size_t)total - done;

		memcpy(tmp + done, iov[i].iov_base, k);
		done += k;
	}
	n = off >= 0 ? tmpfs_pwrite(f, c, tmp, done, off) :
		       tmpfs_write(f, c, tmp, done);
	free(tmp);
	return n;
}

/* as shmem_file_llseek() / generic_file_llseek_size() */
int64_t tmpfs_lseek(struct tmpfs_file *f, int64_t off, int whence)
{
	struct tmpfs_inode *ino = f->inode;
	int64_t pos;

	if (f->flags & O_PATH)
		return -EBADF;
	if (S_ISDIR(ino->mode))
		return tmpfs_dir_lseek(f, off, whence);
	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(f->pos, off, &pos))
			return -EINVAL;
		break;
	case SEEK_END:
		tmpfs_reg_sync(ino);
		if (__builtin_add_overflow(ino->reg.size, off, &pos))
			return -EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		pos = tmpfs_reg_seek_data(ino, off, whence == SEEK_HOLE);
		if (pos < 0)
			return pos;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	f->pos = pos;
	return pos;
}

int tmpfs_fstat(struct tmpfs_file *f, struct stat *st)
{
	tmpfs_fill_stat(f->inode, st);
	return 0;
}

int tmpfs_fstatx(struct tmpfs_file *f, unsigned mask, struct statx *sx)
{
	tmpfs_fill_statx(f->inode, mask, sx);
	return 0;
}

int tmpfs_getdents64(struct tmpfs_file *f, void *buf, size_t len)
{
	int n;

	if (f->flags & O_PATH)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	n = tmpfs_dir_getdents(f, buf, len);
	/* iterate_dir(): fsnotify_access() once it walked, also when the
	 * buffer was too small for an entry (EINVAL comes after) */
	if (n >= 0 || n == -EINVAL)
		tmpfs_fsn_change(f->inode, IN_ACCESS);
	return n;
}

/* Regular files and directories have them (shmem's fileattr_get). */
int tmpfs_file_getflags(struct tmpfs_file *f, uint32_t *flags)
{
	if (!S_ISREG(f->inode->mode) && !S_ISDIR(f->inode->mode))
		return -ENOTTY;
	*flags = f->inode->fsflags;
	return 0;
}

int tmpfs_file_setflags(struct tmpfs_file *f, const struct tmpfs_cred *c,
			uint32_t flags, int fsx)
{
	const uint32_t modifiable = TMPFS_FL_IMMUTABLE | TMPFS_FL_APPEND |
				    TMPFS_FL_NODUMP | TMPFS_FL_NOATIME;
	struct tmpfs_inode *ino = f->inode;

	/* ioctl_setflags(), ioctl_fssetxattr(): mnt_want_write_file() first */
	if (ino->mnt->rdonly)
		return -EROFS;
	if (!S_ISREG(ino->mode) && !S_ISDIR(ino->mode))
		return -ENOTTY;
	if (!tmpfs_is_owner(ino, c))
		return -EPERM;
	/* fileattr_set_prepare(): the two that guard data need a capability */
	if (((flags ^ ino->fsflags) & (TMPFS_FL_IMMUTABLE | TMPFS_FL_APPEND)) &&
	    !(c->caps & TMPFS_CAP_LINUX_IMMUTABLE))
		return -EPERM;
	if (fsx || (flags & ~modifiable))
		return -EOPNOTSUPP;
	ino->fsflags = flags;
	tmpfs_touch_c(ino);
	return 0;
}

/* as do_sys_ftruncate(): -EINVAL unless a regular file open for writing */
int tmpfs_ftruncate(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    int64_t len)
{
	if (f->flags & O_PATH)
		return -EBADF;
	if (len < 0)
		return -EINVAL;
	if (!S_ISREG(f->inode->mode) || can_write(f))
		return -EINVAL;
	if (IS_APPEND(f->inode))
		return -EPERM; /* do_ftruncate() */
	if (tmpfs_newsize_big(f->inode, c, len))
		return -EFBIG;
	tmpfs_kill_priv(f->inode, c);
	tmpfs_reg_truncate(f->inode, len);
	tmpfs_touch_mc(f->inode);
	return 0;
}

/* vfs_fallocate()'s mode rules (Linux 6.18: modes are exclusive) */
static int falloc_mode_ok(int mode)
{
	if (mode & ~(TMPFS_FALLOC_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	switch (mode & TMPFS_FALLOC_MODE_MASK) {
	case 0: /* FALLOC_FL_ALLOCATE_RANGE */
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return mode & FALLOC_FL_KEEP_SIZE ? 0 : -EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case TMPFS_FALLOC_FL_WRITE_ZEROES:
		return mode & FALLOC_FL_KEEP_SIZE ? -EOPNOTSUPP : 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* vfs_fallocate()'s checks in order, then shmem_fallocate()'s */
int tmpfs_fallocate(struct tmpfs_file *f, const struct tmpfs_cred *c, int mode,
		    int64_t off, int64_t len)
{
	struct tmpfs_inode *ino = f->inode;
	int err;

	if (f->flags & O_PATH)
		return -EBADF;
	if (off < 0 || len <= 0)
		return -EINVAL;
	err = falloc_mode_ok(mode);
	if (!err)
		err = can_write(f);
	if (err)
		return err;
	if (S_ISFIFO(ino->mode))
		return -ESPIPE;
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (!S_ISREG(ino->mode))
		return -ENODEV;
	if (off > TMPFS_MAX_FILESIZE - len)
		return -EFBIG;
	/* shmem's own: only plain allocation and punching a hole */
	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	/* shmem_fallocate()'s inode_newsize_ok(): RLIMIT_FSIZE even with KEEP_SIZE */
	if (!(mode & FALLOC_FL_PUNCH_HOLE) && tmpfs_newsize_big(ino, c, off + len))
		return -EFBIG;
	err = tmpfs_reg_fallocate(ino, mode, off, len);
	if (err)
		return err;
	/* file_modified() */
	tmpfs_kill_priv(ino, c);
	tmpfs_touch_mc(ino);
	return 0;
}

int tmpfs_fsync(struct tmpfs_file *f)
{
	return f->flags & O_PATH ? -EBADF : 0;
}

int tmpfs_fchmod(struct tmpfs_file *f, const struct tmpfs_cred *c,
		 mode_t mode)
{
	if (f->flags & O_PATH)
		return -EBADF;
	return tmpfs_setmode(f->inode, c, mode);
}

int tmpfs_fchown(struct tmpfs_file *f, const struct tmpfs_cred *c, uid_t uid,
		 gid_t gid)
{
	if (f->flags & O_PATH)
		return -EBADF;
	return tmpfs_setowner(f->inode, c, uid, gid);
}

int tmpfs_futimens(struct tmpfs_file *f, const struct tmpfs_cred *c,
		   const struct timespec *times)
{
	if (f->flags & O_PATH)
		return -EBADF;
	return tmpfs_settimes(f->inode, c, times);
}

/* as fchdir(2): search permission on a directory */
int tmpfs_file_chdir(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     struct tmpfs_inode **out)
{
	int err;

	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	err = tmpfs_permission(f->inode, c, TMPFS_MAY_EXEC);
	if (err)
		return err;
	tmpfs_inode_get(f->inode);
	*out = f->inode;
	return 0;
}

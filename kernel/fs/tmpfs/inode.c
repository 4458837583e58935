/* ukcov tmpfs: inodes, permissions, attributes and times. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <sys/inotify.h>

#include "tmpfs_int.h"

/*
 * Fine-grained real time: Linux's multigrain timestamps (fs/inode.c) hand
 * out a fine-grained time once a timestamp was queried, so an update after
 * a stat is always visible as a change; always using the fine clock keeps
 * that property.
 */
struct timespec tmpfs_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

/* returns 0, -ENOSPC (inode limit) or -ENOMEM */
/*
 * mode_strip_sgid(), which vfs_prepare_mode() applies before the umask: a
 * new group-executable setgid non-directory in a setgid directory loses
 * setgid unless its creator is in the directory's group or has CAP_FSETID.
 */
mode_t tmpfs_strip_sgid(const struct tmpfs_inode *dir, const struct tmpfs_cred *c, mode_t mode)
{
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) || S_ISDIR(mode) || !dir ||
	    !(dir->mode & S_ISGID) || tmpfs_in_group(c, dir->gid) || tmpfs_capable(dir, c, TMPFS_CAP_FSETID))
		return mode;
	return mode & ~(mode_t)S_ISGID;
}

int tmpfs_inode_alloc(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		      struct tmpfs_inode *dir, mode_t mode,
		      struct tmpfs_inode **out)
{
	struct tmpfs_inode *ino;

	if (tmpfs_ispace_get(m, TMPFS_BOGO_INODE))
		return -ENOSPC;
	ino = tmpfs_calloc(1, sizeof(*ino));
	if (!ino) {
		tmpfs_ispace_put(m, TMPFS_BOGO_INODE);
		return -ENOMEM;
	}
	ino->mnt = m;
	ino->ino = m->next_ino++;
	ino->wfd = -1;
	ino->mode = mode;
	ino->uid = c->fsuid;
	ino->gid = c->fsgid;
	/* as inode_init_owner(): a setgid directory passes on its group, and
	 * its setgid bit to subdirectories */
	if (dir && (dir->mode & S_ISGID)) {
		ino->gid = dir->gid;
		if (S_ISDIR(mode))
			ino->mode |= S_ISGID;
	}
	if (S_ISGID & ino->mode && !S_ISDIR(mode) && (mode & S_IXGRP) &&
	    !tmpfs_in_group(c, ino->gid) && !tmpfs_capable(dir ? dir : ino, c, TMPFS_CAP_FSETID))
		ino->mode &= ~(mode_t)S_ISGID;
	ino->atime = ino->mtime = ino->ctime = ino->btime = tmpfs_now();
	/* shmem_get_inode(): SHMEM_FL_INHERITED from the directory */
	if (dir)
		ino->fsflags = dir->fsflags & (TMPFS_FL_NODUMP | TMPFS_FL_NOATIME);
	if (tmpfs_acl_create(dir, ino)) {
		free(ino);
		tmpfs_ispace_put(m, TMPFS_BOGO_INODE);
		return -ENOMEM;
	}
	if (S_ISDIR(mode)) {
		ino->nlink = 2;
		ino->dir.next_cookie = TMPFS_DIR_OFFSET_MIN;
		ino->dir.hostfd = -1; /* made with its first open (tmpfs_file_host_fd()) */
	} else {
		ino->nlink = 1;
	}
	if (S_ISREG(mode))
		ino->reg.fd = -1; /* no data yet: the memfd comes with the first page or open */
	m->used_inodes++;
	*out = ino;
	return 0;
}

void tmpfs_inode_nlink_changed(struct tmpfs_inode *ino)
{
	bool removed = ino->nlink == 0;

	if (removed == ino->removed)
		return;
	ino->removed = removed;
	if (removed)
		ino->mnt->nremoved++;
	else
		ino->mnt->nremoved--;
}

void tmpfs_inode_maybe_free(struct tmpfs_inode *ino)
{
	if (ino->nlink || ino->refs > 0)
		return;
	if (ino->removed)
		ino->mnt->nremoved--;
	tmpfs_xattr_free(ino);
	tmpfs_fsn_free(ino);
	tmpfs_acl_free(ino);
	if (S_ISREG(ino->mode))
		tmpfs_reg_free(ino);
	else if (S_ISLNK(ino->mode))
		tmpfs_symlink_free(ino);
	else if (S_ISDIR(ino->mode))
		tmpfs_dir_free(ino);
	ino->mnt->used_inodes--;
	tmpfs_ispace_put(ino->mnt, TMPFS_BOGO_INODE);
	tmpfs_inode_forget_path(ino);
	free(ino);
}

void tmpfs_inode_get(struct tmpfs_inode *ino)
{
	ino->refs++;
}

void tmpfs_inode_put(struct tmpfs_inode *ino)
{
	ino->refs--;
	tmpfs_inode_maybe_free(ino);
}

int tmpfs_in_group(const struct tmpfs_cred *c, uint32_t gid)
{
	uint32_t i;

	if (c->fsgid == gid)
		return 1;
	for (i = 0; i < c->ngroups && i < TMPFS_NGROUPS_MAX; i++)
		if (c->groups[i] == gid)
			return 1;
	return 0;
}

int tmpfs_is_owner(const struct tmpfs_inode *ino, const struct tmpfs_cred *c)
{
	return c->fsuid == ino->uid || tmpfs_capable(ino, c, TMPFS_CAP_FOWNER);
}

/* as generic_permission() in fs/namei.c (acl_permission_check()); @mask is TMPFS_MAY_* */
int tmpfs_permission(const struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		     int mask)
{
	unsigned mode = ino->mode;

	/* sb_permission(): nothing is writable on a read-only mount but
	 * fifos, sockets and devices */
	if ((mask & TMPFS_MAY_WRITE) && ino->mnt->rdonly &&
	    (S_ISREG(ino->mode) || S_ISDIR(ino->mode) || S_ISLNK(ino->mode)))
		return -EROFS;
	/* inode_permission(): nobody writes an immutable inode */
	if ((mask & TMPFS_MAY_WRITE) && IS_IMMUTABLE(ino))
		return -EPERM;
	if (c->fsuid == ino->uid) {
		mode >>= 6;
	} else {
		int acl = tmpfs_acl_check(ino, c, mask);

		if (!acl)
			return 0;
		if (acl == -EACCES)
			mode = 0; /* the ACL said no: only a capability may say yes */
		else if (tmpfs_in_group(c, ino->gid))
			mode >>= 3;
	}
	if (!(mask & ~(int)mode & 7))
		return 0;
	if (S_ISDIR(ino->mode)) {
		/* DACs are overridable for directories */
		if (!(mask & TMPFS_MAY_WRITE) &&
		    tmpfs_capable(ino, c, TMPFS_CAP_DAC_READ_SEARCH))
			return 0;
		return tmpfs_capable(ino, c, TMPFS_CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == TMPFS_MAY_READ && tmpfs_capable(ino, c, TMPFS_CAP_DAC_READ_SEARCH))
		return 0;
	/* root may execute only what somebody may execute */
	if ((!(mask & TMPFS_MAY_EXEC) || (ino->mode & 0111)) &&
	    tmpfs_capable(ino, c, TMPFS_CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/*
 * as relatime_need_update(): only if atime is not newer than m/ctime.
 * Without a branch on the seconds: whether two times fell in one second is
 * chance, and a kcov client would see it as a path of its own.
 */
static int cmp_ts(struct timespec a, struct timespec b)
{
	int s = (a.tv_sec > b.tv_sec) - (a.tv_sec < b.tv_sec);
	int n = (a.tv_nsec > b.tv_nsec) - (a.tv_nsec < b.tv_nsec);

	return s ? s : n;
}

void tmpfs_touch_atime(struct tmpfs_inode *ino)
{
	struct timespec now = tmpfs_now();

	if (ino->fsflags & TMPFS_FL_NOATIME)
		return; /* IS_NOATIME() */
	if (cmp_ts(ino->mtime, ino->atime) >= 0 ||
	    cmp_ts(ino->ctime, ino->atime) >= 0 ||
	    now.tv_sec - ino->atime.tv_sec >= 24 * 60 * 60)
		ino->atime = now;
}

void tmpfs_touch_mc(struct tmpfs_inode *ino)
{
	ino->mtime = ino->ctime = tmpfs_now();
}

void tmpfs_touch_c(struct tmpfs_inode *ino)
{
	ino->ctime = tmpfs_now();
}

static blkcnt_t inode_blocks(const struct tmpfs_inode *ino)
{
	if (S_ISREG(ino->mode))
		return (blkcnt_t)ino->reg.npages * (TMPFS_PAGE_SIZE / 512); /* synced by the caller */
	if (S_ISLNK(ino->mode) && ino->lnk.len >= TMPFS_SHORT_SYMLINK)
		return TMPFS_PAGE_SIZE / 512;
	return 0;
}

/* generic_fillattr(), then bdev_statx() for a block device that exists */
static uint32_t inode_blksize(const struct tmpfs_inode *ino)
{
	uint32_t b = 0;

	if (S_ISBLK(ino->mode) && ino->mnt->bdev_blksize)
		b = ino->mnt->bdev_blksize(ino->rdev);
	return b ? b : TMPFS_PAGE_SIZE;
}

static off_t inode_size(const struct tmpfs_inode *ino)
{
	if (S_ISREG(ino->mode))
		return ino->reg.size;
	if (S_ISLNK(ino->mode))
		return (off_t)ino->lnk.len;
	if (!S_ISDIR(ino->mode))
		return 0; /* fifos, sockets, device nodes */
	/* as shmem_mknod()/simple_offset: 2 * BOGO_DIRENT_SIZE for . and .. */
	return (off_t)(ino->dir.nentries + 2) * TMPFS_BOGO_DIRENT;
}

void tmpfs_fill_stat(struct tmpfs_inode *ino, struct stat *st)
{
	if (S_ISREG(ino->mode))
		tmpfs_reg_sync(ino); /* pages and times a mapping's writes changed */
	memset(st, 0, sizeof(*st));
	st->st_dev = ino->mnt->dev;
	st->st_ino = ino->ino;
	st->st_mode = ino->mode;
	st->st_nlink = ino->nlink;
	st->st_rdev = ino->rdev; /* cp_new_stat()'s new_encode_dev() is the encoding mknod(2) got */
	st->st_uid = ino->uid;
	st->st_gid = ino->gid;
	st->st_size = inode_size(ino);
	st->st_blksize = inode_blksize(ino);
	st->st_blocks = inode_blocks(ino);
	st->st_atim = ino->atime;
	st->st_mtim = ino->mtime;
	st->st_ctim = ino->ctime;
}

static struct statx_timestamp sx_time(struct timespec ts)
{
	struct statx_timestamp t = { .tv_sec = ts.tv_sec,
				     .tv_nsec = (uint32_t)ts.tv_nsec };

	return t;
}

/*
 * As vfs_getattr() + shmem_getattr() on 6.18: the basic fields are always
 * filled; with multigrain timestamps mtime/ctime are only reported when
 * asked for; btime is reported when asked for; STATX_MNT_ID always.
 */
void tmpfs_fill_statx(struct tmpfs_inode *ino, unsigned mask,
		      struct statx *sx)
{
	const unsigned times = STATX_MTIME | STATX_CTIME;

	if (S_ISREG(ino->mode))
		tmpfs_reg_sync(ino);
	/* generic_fillattr(): asking for either time fetches both */
	if (mask & times)
		mask |= times;
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = (STATX_BASIC_STATS & ~times) | (mask & times) |
		       STATX_MNT_ID | (mask & STATX_BTIME);
	sx->stx_blksize = inode_blksize(ino);
	sx->stx_nlink = ino->nlink;
	sx->stx_uid = ino->uid;
	sx->stx_gid = ino->gid;
	sx->stx_mode = (uint16_t)ino->mode;
	sx->stx_ino = ino->ino;
	sx->stx_size = (uint64_t)inode_size(ino);
	sx->stx_blocks = (uint64_t)inode_blocks(ino);
	sx->stx_attributes_mask = STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND |
				  STATX_ATTR_NODUMP | STATX_ATTR_AUTOMOUNT |
				  STATX_ATTR_MOUNT_ROOT | STATX_ATTR_DAX;
	if (ino == ino->mnt->root)
		sx->stx_attributes |= STATX_ATTR_MOUNT_ROOT;
	/* shmem_getattr(): the chattr flags statx has a bit for */
	if (ino->fsflags & TMPFS_FL_APPEND)
		sx->stx_attributes |= STATX_ATTR_APPEND;
	if (ino->fsflags & TMPFS_FL_IMMUTABLE)
		sx->stx_attributes |= STATX_ATTR_IMMUTABLE;
	if (ino->fsflags & TMPFS_FL_NODUMP)
		sx->stx_attributes |= STATX_ATTR_NODUMP;
	sx->stx_atime = sx_time(ino->atime);
	if (mask & STATX_MTIME)
		sx->stx_mtime = sx_time(ino->mtime);
	if (mask & STATX_CTIME)
		sx->stx_ctime = sx_time(ino->ctime);
	if (mask & STATX_BTIME)
		sx->stx_btime = sx_time(ino->btime);
	/* new_decode_dev(): 12 bits of major, 20 of minor */
	sx->stx_rdev_major = (ino->rdev & 0xfff00) >> 8;
	sx->stx_rdev_minor = (ino->rdev & 0xff) | ((ino->rdev >> 12) & 0xfff00);
	/* the st_dev stat(2) reports, split as the C library splits it */
	sx->stx_mnt_id = ino->mnt->mnt_id;
	sx->stx_dev_major = major(ino->mnt->dev);
	sx->stx_dev_minor = minor(ino->mnt->dev);
}

/* setattr_should_drop_sgid(): a group-executable setgid file, or one whose
 * group the caller is not in (and cannot override) */
static int should_drop_sgid(const struct tmpfs_inode *ino,
			    const struct tmpfs_cred *c)
{
	if (!(ino->mode & S_ISGID))
		return 0;
	if (ino->mode & S_IXGRP)
		return 1;
	return !tmpfs_in_group(c, ino->gid) && !tmpfs_capable(ino, c, TMPFS_CAP_FSETID);
}

/*
 * As file_remove_privs()/setattr_should_drop_suidgid() on write and
 * truncate: only for callers without CAP_FSETID, setuid always goes,
 * setgid as should_drop_sgid() says.
 */
void tmpfs_kill_priv(struct tmpfs_inode *ino, const struct tmpfs_cred *c)
{
	uint32_t kill = 0;

	if (S_ISREG(ino->mode))
		tmpfs_xattr_kill_caps(ino);
	if (tmpfs_capable(ino, c, TMPFS_CAP_FSETID) || !S_ISREG(ino->mode))
		return;
	if (ino->mode & S_ISUID)
		kill |= S_ISUID;
	if (should_drop_sgid(ino, c))
		kill |= S_ISGID;
	if (kill) {
		ino->mode &= ~kill;
		tmpfs_touch_c(ino);
	}
}

int tmpfs_newsize_big(const struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		       int64_t len)
{
	return c->has_fsize && len > ino->reg.size && (uint64_t)len > c->fsize;
}

void tmpfs_inode_deny_write(struct tmpfs_inode *ino, int delta)
{
	ino->deny_write += delta;
}

/* chmod(2): as chmod_common() + setattr_copy() */
int tmpfs_setmode(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		  mode_t mode)
{
	if (ino->mnt->rdonly)
		return -EROFS; /* chmod_common(): mnt_want_write() */
	/* may_setattr(): ATTR_MODE */
	if (IS_IMMUTABLE(ino) || IS_APPEND(ino))
		return -EPERM;
	if (!tmpfs_is_owner(ino, c))
		return -EPERM;
	mode &= 07777;
	/* setattr_copy(): non-members lose setgid unless CAP_FSETID */
	if ((mode & S_ISGID) && !tmpfs_in_group(c, ino->gid) &&
	    !tmpfs_capable(ino, c, TMPFS_CAP_FSETID))
		mode &= ~(mode_t)S_ISGID;
	ino->mode = (ino->mode & S_IFMT) | mode;
	tmpfs_acl_chmod(ino); /* shmem_setattr(): posix_acl_chmod() */
	tmpfs_touch_c(ino);
	tmpfs_fsn_change(ino, IN_ATTRIB);
	return 0;
}

/* chown(2): as chown_ok()/chgrp_ok() in fs/attr.c */
int tmpfs_setowner(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		   uid_t uid, gid_t gid)
{
	int cap = tmpfs_capable(ino, c, TMPFS_CAP_CHOWN);
	int owner = c->fsuid == ino->uid;
	mode_t kill = 0;
	int err;

	if (ino->mnt->rdonly)
		return -EROFS; /* chown_common()'s caller: mnt_want_write() */
	err = tmpfs_chown_ids(c, &uid, &gid);
	if (err)
		return err;

	/* may_setattr(): ATTR_UID, ATTR_GID */
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && (IS_IMMUTABLE(ino) || IS_APPEND(ino)))
		return -EPERM;
	if (uid != (uid_t)-1 && !cap && !(owner && uid == ino->uid))
		return -EPERM;
	if (gid != (gid_t)-1 && !cap &&
	    !(owner && (gid == ino->gid || tmpfs_in_group(c, gid))))
		return -EPERM;
	/*
	 * chown_common(): non-directories always lose setuid, and setgid as
	 * should_drop_sgid() says, even for chown(f, -1, -1). notify_change()
	 * turns that into a mode change, which setattr_prepare() allows the
	 * owner (or CAP_FOWNER) only: EPERM for anyone else.
	 */
	if (!S_ISDIR(ino->mode)) {
		kill = (ino->mode & S_ISUID) | (should_drop_sgid(ino, c) ? S_ISGID : 0);

		if (kill && !tmpfs_is_owner(ino, c))
			return -EPERM;
		ino->mode &= ~kill;
		tmpfs_xattr_kill_caps(ino); /* ATTR_KILL_PRIV */
	}
	if (uid != (uid_t)-1)
		ino->uid = uid;
	if (gid != (gid_t)-1)
		ino->gid = gid;
	tmpfs_touch_c(ino);
	/* fsnotify_change(): chown(f, -1, -1) changes only ctime, which it does not report */
	if (uid != (uid_t)-1 || gid != (gid_t)-1 || kill)
		tmpfs_fsn_change(ino, IN_ATTRIB);
	return 0;
}

static int nsec_valid(long nsec)
{
	return (nsec >= 0 && nsec <= 999999999) || nsec == UTIME_NOW ||
	       nsec == UTIME_OMIT;
}

/*
 * utimensat(2): as vfs_utimes() and inode_owner_or_capable(). tv_nsec is
 * checked here, after the lookup or the fd (`ukcov fuzz` found it checked
 * before the lookup, and not at all for futimens).
 */
int tmpfs_settimes(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		   const struct timespec *t)
{
	struct timespec now = tmpfs_now();
	int explicit_time;

	if (t && (!nsec_valid(t[0].tv_nsec) || !nsec_valid(t[1].tv_nsec)))
		return -EINVAL;
	if (t && t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (ino->mnt->rdonly)
		return -EROFS; /* vfs_utimes(): mnt_want_write() */
	/* vfs_utimes(): anything but NULL or both UTIME_NOW is an explicit
	 * change (ATTR_TIMES_SET), reserved to the owner */
	explicit_time = t && !(t[0].tv_nsec == UTIME_NOW &&
			       t[1].tv_nsec == UTIME_NOW);
	/* may_setattr(): ATTR_TIMES_SET, and ATTR_TOUCH of an immutable inode */
	if (IS_IMMUTABLE(ino) || (explicit_time && IS_APPEND(ino)))
		return -EPERM;
	if (!tmpfs_is_owner(ino, c)) {
		if (explicit_time)
			return -EPERM;
		if (tmpfs_permission(ino, c, TMPFS_MAY_WRITE))
			return -EACCES;
	}
	if (!t || t[0].tv_nsec == UTIME_NOW)
		ino->atime = now;
	else if (t[0].tv_nsec != UTIME_OMIT)
		ino->atime = t[0];
	if (!t || t[1].tv_nsec == UTIME_NOW)
		ino->mtime = now;
	else if (t[1].tv_nsec != UTIME_OMIT)
		ino->mtime = t[1];
	ino->ctime = now;
	/* fsnotify_change(): both times IN_ATTRIB, atime alone IN_ACCESS, mtime alone IN_MODIFY */
	tmpfs_fsn_change(ino, t && t[1].tv_nsec == UTIME_OMIT ? IN_ACCESS :
			      t && t[0].tv_nsec == UTIME_OMIT ? IN_MODIFY : IN_ATTRIB);
	return 0;
}

/* ukcov tmpfs: the path-taking calls (open, mkdir, unlink, rename, ...).
 *
 * Each mirrors the order of checks of its fs/namei.c or fs/open.c
 * counterpart, since scripts compare errnos when several apply: lookup
 * errors first, then existence (EEXIST/ENOENT), then permission, then the
 * type checks of may_delete().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/inotify.h>
#include <sys/statvfs.h>

#include "tmpfs_int.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT 4
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

static unsigned follow_if(int cond)
{
	return cond ? TMPFS_WALK_FOLLOW : 0;
}

/* may_create(): search and write on the directory, which must be live */
static int may_create(struct tmpfs_nd *nd)
{
	if (!nd->parent->nlink)
		return -ENOENT;
	return tmpfs_permission(nd->parent, nd->c,
				TMPFS_MAY_WRITE | TMPFS_MAY_EXEC);
}

/* check_sticky(): in a sticky directory only the owners or CAP_FOWNER */
static int sticky_denied(const struct tmpfs_inode *dir,
			 const struct tmpfs_inode *ino,
			 const struct tmpfs_cred *c)
{
	if (!(dir->mode & S_ISVTX))
		return 0;
	if (c->fsuid == ino->uid || c->fsuid == dir->uid)
		return 0;
	return !tmpfs_capable(ino, c, TMPFS_CAP_FOWNER);
}

/* may_delete() */
static int may_delete(struct tmpfs_inode *dir, struct tmpfs_inode *victim,
		      const struct tmpfs_cred *c, int isdir)
{
	int err = tmpfs_permission(dir, c, TMPFS_MAY_WRITE | TMPFS_MAY_EXEC);

	if (err)
		return err;
	if (IS_APPEND(dir))
		return -EPERM;
	if (sticky_denied(dir, victim, c) || IS_APPEND(victim) || IS_IMMUTABLE(victim))
		return -EPERM;
	if (isdir && !S_ISDIR(victim->mode))
		return -ENOTDIR;
	if (isdir && victim == victim->mnt->root)
		return -EBUSY;
	if (!isdir && S_ISDIR(victim->mode))
		return -EISDIR;
	return 0;
}

/* Allocates an inode and links it as nd->last in nd->parent. */
static int create_node(struct tmpfs_nd *nd, mode_t mode,
		       struct tmpfs_inode **out)
{
	struct tmpfs_inode *ino, *dir = nd->parent;
	int err = tmpfs_inode_alloc(nd->m, nd->c, dir, mode, &ino);

	if (err)
		return err;
	err = tmpfs_dir_add(dir, nd->last, strlen(nd->last), ino);
	if (err) {
		ino->nlink = 0;
		tmpfs_inode_maybe_free(ino);
		return err;
	}
	if (S_ISDIR(mode))
		dir->nlink++;
	tmpfs_touch_mc(dir);
	tmpfs_fsn_create(dir, nd->last, ino);
	*out = ino;
	return 0;
}

static void unlink_entry(struct tmpfs_inode *dir, struct tmpfs_dirent *de)
{
	struct tmpfs_inode *ino = de->inode;
	int isdir = S_ISDIR(ino->mode);
	char name[TMPFS_NAME_MAX + 1] = "";

	/*
	 * vfs_unlink(): fsnotify_link_count(); d_delete_notify(): the
	 * inode's IN_DELETE_SELF and IN_IGNORED when this frees it, then the
	 * name's IN_DELETE
	 */
	if (dir->wfd >= 0)
		snprintf(name, sizeof(name), "%s", de->name);
	if (S_ISDIR(ino->mode) || ino->nlink <= 1)
		tmpfs_inode_last_name(dir, de);
	tmpfs_dir_remove(dir, de);
	if (S_ISDIR(ino->mode)) {
		ino->nlink = 0;
		dir->nlink--;
	} else {
		/* shmem_unlink(): an extra link gives its inode space back */
		if (ino->nlink > 1)
			tmpfs_ispace_put(ino->mnt, TMPFS_BOGO_INODE);
		ino->nlink--;
		tmpfs_fsn_unlinked(ino);
	}
	tmpfs_inode_nlink_changed(ino);
	tmpfs_touch_c(ino);
	tmpfs_inode_maybe_free(ino);
	tmpfs_fsn_delete(dir, name, isdir);
}

/* ---- argument checks made before the dirfd is looked at ---- */

static int check_flags(int flags, int valid)
{
	return (flags & ~valid) ? -EINVAL : 0;
}

int tmpfs_at_check(enum tmpfs_at_call call, int flags, uint64_t arg)
{
	const int nofollow_empty = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;

	switch (call) {
	case TMPFS_AT_FSTATAT:
		/* vfs_statx()'s flags: fstatat takes the sync type too (both bits are statx's EINVAL only) */
		return check_flags(flags, nofollow_empty | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE);
	case TMPFS_AT_STATX:
		if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
		    (arg & STATX__RESERVED))
			return -EINVAL;
		return check_flags(flags, nofollow_empty | AT_NO_AUTOMOUNT |
						  AT_STATX_SYNC_TYPE);
	case TMPFS_AT_UNLINKAT:
		return check_flags(flags, AT_REMOVEDIR);
	case TMPFS_AT_RENAMEAT2:
		if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) &&
		    (flags & RENAME_EXCHANGE))
			return -EINVAL;
		return check_flags(flags, RENAME_NOREPLACE | RENAME_EXCHANGE |
						  RENAME_WHITEOUT);
	case TMPFS_AT_LINKAT:
		return check_flags(flags, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH);
	case TMPFS_AT_FCHMODAT:
	case TMPFS_AT_FCHOWNAT:
	case TMPFS_AT_UTIMENSAT:
		return check_flags(flags, nofollow_empty);
	case TMPFS_AT_FACCESSAT:
		if (arg & ~(uint64_t)(R_OK | W_OK | X_OK))
			return -EINVAL;
		return check_flags(flags, AT_EACCESS | nofollow_empty);
	}
	return -EINVAL;
}

/* ---- open ---- */

int tmpfs_openat2_check(uint64_t flags, uint64_t mode, uint64_t resolve)
{
	const uint64_t valid = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY |
			       O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC |
			       O_SYNC | O_ASYNC | O_DIRECT | TMPFS_O_LARGEFILE |
			       O_DIRECTORY | O_NOFOLLOW | O_NOATIME |
			       O_CLOEXEC | O_PATH | O_TMPFILE;
	const uint64_t rvalid = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
				RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH |
				RESOLVE_IN_ROOT | RESOLVE_CACHED;

	if (flags & ~valid || resolve & ~rvalid)
		return -EINVAL;
	if (!(flags & (O_CREAT | TMPFS_O_TMPFILE_BIT)) && mode)
		return -EINVAL;
	/* build_open_flags(): O_PATH permits only O_PATH_FLAGS (open(2) drops the rest) */
	if ((flags & O_PATH) && (flags & ~(uint64_t)(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)))
		return -EINVAL;
	if (mode & ~(uint64_t)07777)
		return -EINVAL;
	if ((resolve & RESOLVE_BENEATH) && (resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	return 0;
}

/* build_open_flags(): checks made before the dirfd or path is looked at */
int tmpfs_open_check(int flags)
{
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if ((flags & O_CREAT) && (flags & O_DIRECTORY))
		return -EINVAL;
	/* O_TMPFILE looks like O_DIRECTORY|O_RDWR to old kernels: both bits,
	 * no O_CREAT, and an access mode that writes */
	if (flags & TMPFS_O_TMPFILE_BIT) {
		int acc = flags & O_ACCMODE;

		if ((flags & (TMPFS_O_TMPFILE_BIT | O_DIRECTORY | O_CREAT)) !=
		    (TMPFS_O_TMPFILE_BIT | O_DIRECTORY))
			return -EINVAL;
		if (acc == O_RDONLY)
			return -EINVAL;
	}
	return 0;
}

static int acc_mask(int flags)
{
	int acc = flags & O_ACCMODE, mask = 0;

	if (acc == O_RDONLY || acc == O_RDWR || acc == O_ACCMODE)
		mask |= TMPFS_MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR || acc == O_ACCMODE)
		mask |= TMPFS_MAY_WRITE;
	if (flags & O_TRUNC)
		mask |= TMPFS_MAY_WRITE;
	return mask;
}

/* O_CREAT: as open_last_lookups() + lookup_open() */
static int open_create(struct tmpfs_nd *nd, int flags, mode_t mode,
		       int *created)
{
	struct tmpfs_inode *ino;
	int err;

	/* open_last_lookups(): handle_dots() of a last ".." (openat2's RESOLVE_* errors) */
	if (nd->last_type == TMPFS_LAST_DOTDOT && (err = tmpfs_dotdot_check(nd, nd->parent)))
		return err;
	/* open_last_lookups(): ".", "..", "/" name a directory, which
	 * do_open() refuses with EEXIST under O_EXCL, else EISDIR; a
	 * trailing slash is -EISDIR before any lookup */
	if (nd->last_type != TMPFS_LAST_NORM)
		return (flags & O_EXCL) ? -EEXIST : -EISDIR;
	if (nd->trailing_slash)
		return -EISDIR;
	/*
	 * An existing last component: open_last_lookups()' step_into() enters
	 * a mount on it before do_open()'s EEXIST or EISDIR, so the walk ends
	 * in that mount (its MNT_EXPIRE mark goes)
	 */
	if (nd->inode && S_ISDIR(nd->inode->mode) && nd->inode->dir.mounted)
		return tmpfs_walk_mounted(nd, nd->inode, "");
	if (nd->inode) {
		if (flags & O_EXCL)
			return -EEXIST;
		return 0;
	}
	err = may_create(nd);
	if (err)
		return err;
	mode = tmpfs_acl_umask(nd->parent, nd->c, tmpfs_strip_sgid(nd->parent, nd->c, mode & 07777)) | S_IFREG;
	err = create_node(nd, mode, &ino);
	if (err)
		return err;
	nd->inode = ino;
	*created = 1;
	return 0;
}

/*
 * may_create_in_sticky(): O_CREAT on an existing file in a sticky
 * directory that neither the caller nor the directory's owner owns.
 * Regular files and fifos only with fs.protected_regular/_fifos; the
 * other types (sockets, devices) always.
 */
static int may_create_in_sticky(const struct tmpfs_nd *nd,
				const struct tmpfs_inode *ino)
{
	const struct tmpfs_inode *dir = nd->parent;
	int preg = nd->m->protected_regular, pfifo = nd->m->protected_fifos;

	if (!dir || !(dir->mode & S_ISVTX))
		return 0;
	if ((S_ISREG(ino->mode) && !preg) || (S_ISFIFO(ino->mode) && !pfifo))
		return 0;
	if (ino->uid == dir->uid || ino->uid == nd->c->fsuid)
		return 0;
	if (dir->mode & 0002)
		return -EACCES;
	if ((dir->mode & 0020) &&
	    ((pfifo >= 2 && S_ISFIFO(ino->mode)) ||
	     (preg >= 2 && S_ISREG(ino->mode))))
		return -EACCES;
	return 0;
}

/* may_open() and the O_TRUNC of do_open() */
static int open_checks(struct tmpfs_nd *nd, int flags, int created)
{
	struct tmpfs_inode *ino = nd->inode;
	int err;

	if ((flags & O_CREAT) && S_ISDIR(ino->mode))
		return -EISDIR;
	if ((flags & O_CREAT) && !created &&
	    (err = may_create_in_sticky(nd, ino)))
		return err;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (flags & O_PATH)
		return 0;
	if (S_ISLNK(ino->mode))
		return -ELOOP;
	if (S_ISDIR(ino->mode) && (acc_mask(flags) & TMPFS_MAY_WRITE))
		return -EISDIR;
	/* a device of a nodev mount (path_nodev()), before the permission check */
	if ((S_ISCHR(ino->mode) || S_ISBLK(ino->mode)) && (nd->m->st_flags & ST_NODEV))
		return -EACCES;
	if (created)
		return 0;
	err = tmpfs_permission(ino, nd->c, acc_mask(flags));
	if (err)
		return err;
	/* an append-only file opens for writing in append mode only */
	if (IS_APPEND(ino) && (((flags & O_ACCMODE) != O_RDONLY && !(flags & O_APPEND)) ||
			       (flags & O_TRUNC)))
		return -EPERM;
	if ((flags & O_NOATIME) && !tmpfs_is_owner(ino, nd->c))
		return -EPERM;
	/* do_dentry_open(): get_write_access() of a running program */
	if (S_ISREG(ino->mode) && ino->deny_write > 0 &&
	    ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -ETXTBSY;
	/* do_dentry_open(): a socket node's bad_sock_fops open */
	if (S_ISSOCK(ino->mode))
		return -ENXIO;
	return 0;
}

/*
 * handle_truncate(): last, once nothing of the open can fail any more;
 * not of a file the open made (FMODE_CREATED: its setgid bit stays) nor
 * through O_PATH
 */
static void open_truncate(struct tmpfs_nd *nd, int flags, int created)
{
	struct tmpfs_inode *ino = nd->inode;

	if ((flags & O_TRUNC) && !(flags & O_PATH) && !created && S_ISREG(ino->mode)) {
		tmpfs_kill_priv(ino, nd->c);
		tmpfs_reg_truncate(ino, 0);
		tmpfs_touch_mc(ino);
	}
}

static int new_file(struct tmpfs_nd *nd, int flags, struct tmpfs_file **out)
{
	struct tmpfs_file *f = tmpfs_calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->mnt = nd->m;
	f->inode = nd->inode;
	f->refs = 1;
	f->cred = *nd->c;
	f->cred.userns = NULL; /* valid for the call only */
	/* as do_dentry_open(): creation flags are not kept; 64-bit opens
	 * always carry O_LARGEFILE, O_PATH ones nothing but their flags */
	f->flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	if (!(flags & O_PATH))
		f->flags |= TMPFS_O_LARGEFILE;
	tmpfs_inode_get(nd->inode);
	nd->m->nfiles++;
	f->own_writer = tmpfs_file_writer(f);
	nd->m->nwriters += f->own_writer;
	*out = f;
	return 0;
}

void tmpfs_open_truncate(struct tmpfs_file *f, const struct tmpfs_cred *c)
{
	struct tmpfs_nd nd = { .c = c, .inode = f->inode };

	if (f->trunc_pending)
		open_truncate(&nd, O_TRUNC, 0);
	f->trunc_pending = false;
}

void tmpfs_open_undo(struct tmpfs_file *f)
{
	struct tmpfs_inode *ino = f->inode;

	if (f->created && !S_ISDIR(ino->mode) && ino->lde)
		unlink_entry(ino->lparent, ino->lde);
}

/*
 * O_TMPFILE: do_tmpfile() + vfs_tmpfile() + shmem_tmpfile(): the path
 * names a directory the caller may write and search; the file is an inode
 * without a name (nlink 0, the directory untouched) that linkat(2) may
 * give one (I_LINKABLE) unless O_EXCL.
 */
static int open_tmpfile(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			struct tmpfs_inode *dir, const char *path, int flags,
			mode_t mode, uint64_t resolve, struct tmpfs_walk *w,
			struct tmpfs_file **out)
{
	struct tmpfs_inode *ino;
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, dir, w, follow_if(!(flags & O_NOFOLLOW)));
	nd.resolve = resolve;
	err = tmpfs_walk(&nd, path);
	if (!err && !nd.inode)
		err = -ENOENT;
	if (!err && !S_ISDIR(nd.inode->mode))
		err = -ENOTDIR;
	if (!err)
		err = tmpfs_permission(nd.inode, c, TMPFS_MAY_WRITE | TMPFS_MAY_EXEC);
	if (!err)
		err = tmpfs_inode_alloc(m, c, nd.inode, tmpfs_acl_umask(nd.inode, c, mode & 07777) | S_IFREG, &ino);
	if (err)
		return err;
	ino->nlink = 0;
	tmpfs_inode_nlink_changed(ino);
	ino->linkable = !(flags & O_EXCL);
	tmpfs_inode_tmpfile_path(nd.inode, ino);
	nd.inode = ino;
	err = new_file(&nd, flags, out);
	if (err)
		tmpfs_inode_maybe_free(ino);
	return err;
}

/*
 * open_last_lookups(): O_CREAT with a trailing slash after a plain last
 * component is EISDIR before that component is looked at, so a symlink
 * there is not followed (`ukcov fuzz` found ELOOP for a looping one).
 * Returns 1 then; 0 when the open goes on (a failing walk included: the
 * open's own walk reports it).
 */
static int creat_trailing_slash(struct tmpfs_mount *m, const struct tmpfs_cred *c,
				struct tmpfs_inode *dir, const char *path, uint64_t resolve)
{
	size_t len = strlen(path);
	struct tmpfs_nd nd;
	int err;

	if (!len || path[len - 1] != '/')
		return 0;
	tmpfs_nd_init(&nd, m, c, dir, NULL, TMPFS_WALK_PARENT);
	nd.resolve = resolve;
	err = tmpfs_walk(&nd, path);
	free(nd.w->host_path);
	return !err && nd.last_type == TMPFS_LAST_NORM && nd.trailing_slash;
}

int tmpfs_openat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		 struct tmpfs_inode *dir, const char *path, int flags,
		 mode_t mode, uint64_t resolve, struct tmpfs_walk *w,
		 struct tmpfs_file **out)
{
	struct tmpfs_nd nd;
	int err, created = 0;
	bool later = flags & TMPFS_O_TRUNC_LATER;

	flags &= ~TMPFS_O_TRUNC_LATER;
	err = tmpfs_open_check(flags);
	if (err)
		return err;
	/* build_open_flags(): O_PATH keeps only these */
	if (flags & O_PATH)
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return open_tmpfile(m, c, dir, path, flags, mode, resolve, w, out);
	if ((flags & O_CREAT) && creat_trailing_slash(m, c, dir, path, resolve))
		return -EISDIR;
	tmpfs_nd_init(&nd, m, c, dir, w,
		      follow_if(!(flags & O_NOFOLLOW) &&
				!((flags & O_CREAT) && (flags & O_EXCL))) |
			      ((flags & O_CREAT) ? TMPFS_WALK_PARENT : 0));
	nd.resolve = resolve;
	err = tmpfs_walk(&nd, path);
	if (!err && (flags & O_CREAT))
		err = open_create(&nd, flags, mode, &created);
	if (!err && !nd.inode)
		err = -ENOENT;
	if (!err)
		err = open_checks(&nd, flags, created);
	if (!err)
		err = new_file(&nd, flags, out);
	if (err && created && nd.inode->lde)
		unlink_entry(nd.inode->lparent, nd.inode->lde);
	if (!err && !later)
		open_truncate(&nd, flags, created);
	else if (!err)
		(*out)->trunc_pending = (flags & O_TRUNC) && !(flags & O_PATH) && !created;
	if (!err)
		(*out)->created = created; /* FMODE_CREATED */
	return err;
}

/* @search: the directory itself must be searchable (chdir), not a mount point */
static int lookup_dir(struct tmpfs_mount *m, const struct tmpfs_cred *c, struct tmpfs_inode *dir,
		      const char *path, struct tmpfs_walk *w, bool search, struct tmpfs_inode **out)
{
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_FOLLOW);
	err = tmpfs_walk(&nd, path);
	if (err)
		return err;
	if (!S_ISDIR(nd.inode->mode))
		return -ENOTDIR;
	err = search ? tmpfs_permission(nd.inode, c, TMPFS_MAY_EXEC) : 0;
	if (err)
		return err;
	tmpfs_inode_get(nd.inode);
	*out = nd.inode;
	return 0;
}

int tmpfs_lookup_dir(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		     struct tmpfs_inode *dir, const char *path,
		     struct tmpfs_walk *w, struct tmpfs_inode **out)
{
	return lookup_dir(m, c, dir, path, w, true, out);
}

int tmpfs_lookup_mountpoint(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			    struct tmpfs_inode *dir, const char *path,
			    struct tmpfs_walk *w, struct tmpfs_inode **out)
{
	return lookup_dir(m, c, dir, path, w, false, out);
}

/* ---- stat ---- */

static int lookup_any(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		      struct tmpfs_inode *dir, const char *path, int flags,
		      struct tmpfs_walk *w, struct tmpfs_inode **out)
{
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, dir, w,
		      follow_if(!(flags & AT_SYMLINK_NOFOLLOW)) |
			      ((flags & AT_EMPTY_PATH) ? TMPFS_WALK_EMPTY : 0));
	err = tmpfs_walk(&nd, path);
	if (!err)
		*out = nd.inode;
	return err;
}

int tmpfs_lookup_inode(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		       struct tmpfs_inode *dir, const char *path, int flags,
		       struct tmpfs_walk *w, struct tmpfs_inode **out)
{
	return lookup_any(m, c, dir, path, flags, w, out);
}

int tmpfs_fstatat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		  struct tmpfs_inode *dir, const char *path, int flags,
		  struct tmpfs_walk *w, struct stat *st)
{
	struct tmpfs_inode *ino;
	int err;

	err = tmpfs_at_check(TMPFS_AT_FSTATAT, flags, 0);
	if (err)
		return err;
	err = lookup_any(m, c, dir, path, flags, w, &ino);
	if (!err)
		tmpfs_fill_stat(ino, st);
	return err;
}

int tmpfs_statx(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		struct tmpfs_inode *dir, const char *path, int flags,
		unsigned mask, struct tmpfs_walk *w, struct statx *sx)
{
	struct tmpfs_inode *ino;
	int err;

	err = tmpfs_at_check(TMPFS_AT_STATX, flags, mask);
	if (err)
		return err;
	err = lookup_any(m, c, dir, path, flags, w, &ino);
	if (!err)
		tmpfs_fill_statx(ino, mask, sx);
	return err;
}

/* ---- mkdir, unlink, rmdir ---- */

/*
 * lookup_one_qstr_excl() of a last component that is not cached: a
 * removed directory is ENOENT, then ->lookup refuses a long name
 */
static int lookup_excl_checks(const struct tmpfs_nd *nd)
{
	if (!nd->parent->nlink)
		return -ENOENT;
	return nd->last_long ? -ENAMETOOLONG : 0;
}

/* filename_create(): the parent and a free last component */
static int walk_create(struct tmpfs_nd *nd, const char *path, int want_dir)
{
	int err = tmpfs_walk(nd, path);

	if (err)
		return err;
	if (nd->last_type != TMPFS_LAST_NORM)
		return -EEXIST;
	/* filename_create()'s lookup: a removed directory is ENOENT */
	if ((err = lookup_excl_checks(nd)))
		return err;
	if (nd->inode)
		return -EEXIST;
	if (nd->trailing_slash && !want_dir)
		return -ENOENT;
	return 0;
}

int tmpfs_mkdirat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		  struct tmpfs_inode *dir, const char *path, mode_t mode,
		  struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_PARENT);
	err = walk_create(&nd, path, 1);
	if (!err)
		err = may_create(&nd);
	if (err)
		return err;
	return create_node(&nd, S_IFDIR | tmpfs_acl_umask(nd.parent, c, mode & 01777), &ino);
}

static int do_rmdir(struct tmpfs_nd *nd)
{
	static const int by_type[] = { [TMPFS_LAST_DOT] = -EINVAL,
				       [TMPFS_LAST_DOTDOT] = -ENOTEMPTY,
				       [TMPFS_LAST_ROOT] = -EBUSY };
	int err;

	if (nd->last_type != TMPFS_LAST_NORM)
		return by_type[nd->last_type];
	if (nd->m->rdonly)
		return -EROFS; /* do_rmdir(): mnt_want_write() before the lookup */
	if ((err = lookup_excl_checks(nd)) || !nd->inode)
		return err ? err : -ENOENT;
	err = may_delete(nd->parent, nd->inode, nd->c, 1);
	if (err)
		return err;
	if (nd->inode->dir.mounted)
		return -EBUSY; /* vfs_rmdir(): is_local_mountpoint() */
	if (!tmpfs_dir_empty(nd->inode))
		return -ENOTEMPTY;
	tmpfs_touch_mc(nd->parent);
	unlink_entry(nd->parent, nd->de);
	return 0;
}

static int do_unlink(struct tmpfs_nd *nd)
{
	int err;

	if (nd->last_type != TMPFS_LAST_NORM)
		return -EISDIR;
	if (nd->m->rdonly)
		return -EROFS; /* do_unlinkat(): mnt_want_write() before the lookup */
	if ((err = lookup_excl_checks(nd)) || !nd->inode)
		return err ? err : -ENOENT;
	/* do_unlinkat() "slashes": a trailing slash names a directory */
	if (nd->trailing_slash)
		return S_ISDIR(nd->inode->mode) ? -EISDIR : -ENOTDIR;
	err = may_delete(nd->parent, nd->inode, nd->c, 0);
	if (err)
		return err;
	tmpfs_touch_mc(nd->parent);
	unlink_entry(nd->parent, nd->de);
	return 0;
}

int tmpfs_unlinkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, int flags,
		   struct tmpfs_walk *w)
{
	struct tmpfs_nd nd;
	int err;

	err = tmpfs_at_check(TMPFS_AT_UNLINKAT, flags, 0);
	if (err)
		return err;
	/* WALK_LONG: a long last name is ->lookup's ENAMETOOLONG, after mnt_want_write()'s EROFS */
	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_PARENT | TMPFS_WALK_LONG);
	err = tmpfs_walk(&nd, path);
	if (err)
		return err;
	return (flags & AT_REMOVEDIR) ? do_rmdir(&nd) : do_unlink(&nd);
}

/* ---- rename ---- */

/* is @a an ancestor of (or equal to) @b? */
static int is_ancestor(const struct tmpfs_inode *a, const struct tmpfs_inode *b)
{
	for (;;) {
		if (a == b)
			return 1;
		if (b == b->mnt->root || !b->dir.parent)
			return 0;
		b = b->dir.parent;
	}
}

struct rename_req {
	struct tmpfs_nd o, n;
	unsigned flags;
};

/* do_renameat2(): component types, existence, trailing slashes, traps */
static int rename_lookup_checks(struct rename_req *r)
{
	struct tmpfs_nd *o = &r->o, *n = &r->n;
	int exchange = r->flags & RENAME_EXCHANGE, err;

	if (o->last_type != TMPFS_LAST_NORM)
		return -EBUSY;
	if (n->last_type != TMPFS_LAST_NORM)
		return (r->flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	if (o->m->rdonly)
		return -EROFS;
	/* each name's lookup, the old one first */
	if ((err = lookup_excl_checks(o)) || !o->inode)
		return err ? err : -ENOENT;
	if ((err = lookup_excl_checks(n)))
		return err;
	if (n->inode && (r->flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (!n->inode && exchange)
		return -ENOENT;
	if (!S_ISDIR(o->inode->mode) &&
	    (o->trailing_slash || (!exchange && n->trailing_slash)))
		return -ENOTDIR;
	if (exchange && n->trailing_slash && !S_ISDIR(n->inode->mode))
		return -ENOTDIR;
	if (S_ISDIR(o->inode->mode) && is_ancestor(o->inode, n->parent))
		return -EINVAL;
	if (n->inode && S_ISDIR(n->inode->mode) &&
	    is_ancestor(n->inode, o->parent))
		return exchange ? -EINVAL : -ENOTEMPTY;
	return 0;
}

/* vfs_rename(): may_delete()/may_create() and moving a directory needs
 * write permission on it to update its ".." */
static int rename_perm_checks(struct rename_req *r)
{
	struct tmpfs_nd *o = &r->o, *n = &r->n;
	const struct tmpfs_cred *c = o->c;
	int odir = S_ISDIR(o->inode->mode), err;

	err = may_delete(o->parent, o->inode, c, odir);
	if (!err && !n->inode)
		err = may_create(n);
	else if (!err)
		err = may_delete(n->parent, n->inode, c,
				 (r->flags & RENAME_EXCHANGE) ?
					 S_ISDIR(n->inode->mode) :
					 odir);
	if (err || o->parent == n->parent)
		return err;
	if (odir)
		err = tmpfs_permission(o->inode, c, TMPFS_MAY_WRITE);
	if (!err && n->inode && (r->flags & RENAME_EXCHANGE) &&
	    S_ISDIR(n->inode->mode))
		err = tmpfs_permission(n->inode, c, TMPFS_MAY_WRITE);
	return err;
}

/* re-point an entry at another inode, keeping its name and cookie */
static void swap_entries(struct rename_req *r)
{
	struct tmpfs_inode *a = r->o.inode, *b = r->n.inode;

	r->o.de->inode = b;
	r->n.de->inode = a;
	tmpfs_dir_move_head(r->o.parent, r->o.de, r->o.parent);
	tmpfs_dir_move_head(r->n.parent, r->n.de, r->n.parent);
	if (S_ISDIR(a->mode))
		tmpfs_dir_set_parent(a, r->n.parent, r->n.de);
	if (S_ISDIR(b->mode))
		tmpfs_dir_set_parent(b, r->o.parent, r->o.de);
	/* simple_rename_exchange(): fix the parents' link counts */
	if (r->o.parent != r->n.parent && S_ISDIR(a->mode) != S_ISDIR(b->mode)) {
		struct tmpfs_inode *gains = S_ISDIR(a->mode) ? r->n.parent :
							       r->o.parent;
		struct tmpfs_inode *loses = gains == r->n.parent ? r->o.parent :
								  r->n.parent;

		gains->nlink++;
		loses->nlink--;
	}
	tmpfs_touch_c(b);
}

/* the replaced inode of a rename loses the name it had, as shmem_unlink() */
static void drop_victim(struct tmpfs_inode *dir, struct tmpfs_inode *victim)
{
	if (S_ISDIR(victim->mode)) {
		victim->nlink = 0;
		victim->dir.self = NULL;
		dir->nlink--;
	} else {
		if (victim->nlink > 1)
			tmpfs_ispace_put(victim->mnt, TMPFS_BOGO_INODE);
		victim->nlink--;
	}
	tmpfs_inode_nlink_changed(victim);
	tmpfs_touch_c(victim);
	tmpfs_inode_maybe_free(victim);
}

/*
 * make check-fuzz builds ukcov with UKCOV_FUZZ_PLANT: a known divergence
 * deep in a rarely reached path, for `ukcov fuzz` to find from the
 * differential suite's scripts: a rename over a non-empty directory whose
 * lookups followed a symlink answers EEXIST (Linux: ENOTEMPTY).
 */
static int planted_rename_error(const struct rename_req *r)
{
#ifdef UKCOV_FUZZ_PLANT
	if (r->n.w->hops > 0)
		return -EEXIST;
#else
	(void)r;
#endif
	return -ENOTEMPTY;
}

/*
 * shmem_rename2() + simple_offset_rename(): a rename to a new name adds a
 * fresh entry (a new cookie); a rename over an existing name takes over
 * that entry and its cookie.  Either way it is listed first (dir.c).
 */
static int move_entry(struct rename_req *r)
{
	struct tmpfs_inode *ino = r->o.inode, *victim = r->n.inode, *wh = NULL;
	struct tmpfs_dirent *nde = NULL, *wde = NULL;
	int isdir = S_ISDIR(ino->mode), err = 0;

	if (victim && S_ISDIR(victim->mode) && !tmpfs_dir_empty(victim))
		return planted_rename_error(r);
	/*
	 * Everything that can fail comes before the old name goes: a failed
	 * allocation after it would leave the inode with no name at all.
	 * shmem_whiteout(): a 0:0 character device, made before the move.
	 */
	if (r->flags & RENAME_WHITEOUT) {
		err = tmpfs_inode_alloc(r->o.m, r->o.c, r->o.parent, S_IFCHR, &wh);
		if (err)
			return err;
		wde = tmpfs_dirent_new(r->o.last, strlen(r->o.last));
	}
	if (!victim)
		nde = tmpfs_dirent_new(r->n.last, strlen(r->n.last));
	if ((wh && !wde) || (!victim && !nde)) {
		free(wde);
		free(nde);
		if (wh) {
			wh->nlink = 0;
			tmpfs_inode_maybe_free(wh);
		}
		return -ENOMEM;
	}
	ino->refs++; /* keep it alive while it has no entry */
	tmpfs_dir_remove(r->o.parent, r->o.de);
	if (wh)
		tmpfs_dir_insert(r->o.parent, wde, wh);
	if (victim) {
		if (victim->lde == r->n.de)
			victim->lparent = NULL, victim->lde = NULL;
		/* its fd links read "NAME (deleted)" from now on, as after an unlink */
		if (S_ISDIR(victim->mode) || victim->nlink <= 1)
			tmpfs_inode_last_name(r->n.parent, r->n.de);
		r->n.de->inode = ino;
		tmpfs_dir_move_head(r->n.parent, r->n.de, r->n.parent);
		if (isdir)
			tmpfs_dir_set_parent(ino, r->n.parent, r->n.de);
		drop_victim(r->n.parent, victim);
	} else {
		tmpfs_dir_insert(r->n.parent, nde, ino);
	}
	if (isdir && r->o.parent != r->n.parent) {
		r->o.parent->nlink--;
		r->n.parent->nlink++;
	}
	tmpfs_inode_put(ino);
	return 0;
}

static int do_rename(struct rename_req *r)
{
	struct tmpfs_inode *other;
	int err = rename_lookup_checks(r);

	if (err)
		return err;
	/* vfs_rename(): two names of one inode, nothing to do */
	if (r->o.inode == r->n.inode)
		return 0;
	err = rename_perm_checks(r);
	if (err)
		return err;
	/* vfs_rename(): a mount point is busy */
	if ((S_ISDIR(r->o.inode->mode) && r->o.inode->dir.mounted) ||
	    (r->n.inode && S_ISDIR(r->n.inode->mode) && r->n.inode->dir.mounted))
		return -EBUSY;
	/* a replaced inode goes after the events of the move (vfs_rename()'s dput()) */
	other = r->n.inode;
	if (other)
		other->refs++;
	if (r->flags & RENAME_EXCHANGE)
		swap_entries(r);
	else
		err = move_entry(r);
	if (!err) {
		/* simple_rename_timestamp() */
		tmpfs_touch_mc(r->o.parent);
		tmpfs_touch_mc(r->n.parent);
		tmpfs_touch_c(r->o.inode);
		tmpfs_fsn_move(r->o.parent, r->o.last, r->n.parent, r->n.last, r->o.inode,
			       other, r->flags);
	}
	if (other)
		tmpfs_inode_put(other);
	return err;
}

int tmpfs_renameat2(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *odir, const char *opath,
		    struct tmpfs_inode *ndir, const char *npath,
		    unsigned flags, struct tmpfs_walk *w)
{
	struct rename_req r;
	int err;

	err = tmpfs_at_check(TMPFS_AT_RENAMEAT2, (int)flags, 0);
	if (err)
		return err;
	/* (RENAME_WHITEOUT needs no CAP_MKNOD since Linux 5.8: a whiteout is
	 * the one device anyone may make) */
	r.flags = flags;
	/* a walk that leaves the mount returns -TMPFS_EXIT: the caller
	 * finishes both parent lookups (tmpfs_parent_lookup()), whose
	 * errors do_renameat2() reports before EXDEV */
	tmpfs_nd_init(&r.o, m, c, odir, w, TMPFS_WALK_PARENT | TMPFS_WALK_LONG);
	tmpfs_nd_init(&r.n, m, c, ndir, w, TMPFS_WALK_PARENT | TMPFS_WALK_LONG);
	err = tmpfs_walk(&r.o, opath);
	if (!err)
		err = tmpfs_walk(&r.n, npath);
	/* a caller that goes on nowhere gets do_renameat2()'s answer for
	 * a parent found on another mount */
	if (err == -TMPFS_EXIT && !w)
		return -EXDEV;
	return err ? err : do_rename(&r);
}

int tmpfs_parent_lookup(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			struct tmpfs_inode *dir, const char *path,
			struct tmpfs_walk *w)
{
	struct tmpfs_nd nd;

	/* filename_parentat() leaves the last component's length to ->lookup */
	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_PARENT | TMPFS_WALK_LONG);
	return tmpfs_walk(&nd, path);
}

/* ---- link, symlink, readlink ---- */

/* may_linkat() with fs.protected_hardlinks = 1 */
static int may_linkat(const struct tmpfs_inode *ino, const struct tmpfs_cred *c)
{
	if (c->fsuid == ino->uid || tmpfs_capable(ino, c, TMPFS_CAP_FOWNER))
		return 0;
	if (!S_ISREG(ino->mode) || (ino->mode & S_ISUID) ||
	    (ino->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return -EPERM;
	if (tmpfs_permission(ino, c, TMPFS_MAY_READ | TMPFS_MAY_WRITE))
		return -EPERM;
	return 0;
}

int tmpfs_linkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		 struct tmpfs_inode *odir, const char *opath,
		 struct tmpfs_inode *ndir, const char *npath, int flags,
		 struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	struct tmpfs_nd nd;
	int err;

	err = tmpfs_at_check(TMPFS_AT_LINKAT, flags, 0);
	if (err)
		return err;
	err = lookup_any(m, c, odir, opath,
			 (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW) |
				 (flags & AT_EMPTY_PATH),
			 w, &ino);
	if (err == -TMPFS_EXIT && !w)
		return -EXDEV; /* as tmpfs_renameat2() */
	if (err)
		return err;
	/*
	 * do_linkat(): filename_create() of the new name, wherever its walk
	 * leads, then EXDEV: a walk that leaves this mount goes on in the
	 * caller's (-TMPFS_EXIT), whose lookup errors come first.
	 */
	tmpfs_nd_init(&nd, m, c, ndir, w, TMPFS_WALK_PARENT | (w ? 0 : TMPFS_WALK_NOXDEV));
	err = walk_create(&nd, npath, 0);
	/* filename_create()'s mnt_want_write() error, before may_linkat()'s EPERM */
	if (!err && nd.m->rdonly)
		err = -EROFS;
	if (!err)
		err = may_linkat(ino, c);
	if (!err)
		err = may_create(&nd);
	/* vfs_link() */
	if (!err && (IS_APPEND(ino) || IS_IMMUTABLE(ino)))
		err = -EPERM;
	if (!err && S_ISDIR(ino->mode))
		err = -EPERM;
	/* vfs_link(): a nameless inode only if it was an O_TMPFILE without O_EXCL */
	if (!err && !ino->nlink && !ino->linkable)
		err = -ENOENT;
	/* shmem_link(): each link pins a dentry, so it costs an inode (an
	 * O_TMPFILE's first has its inode's already) */
	if (!err && ino->nlink)
		err = tmpfs_ispace_get(m, TMPFS_BOGO_INODE);
	if (!err) {
		err = tmpfs_dir_add(nd.parent, nd.last, strlen(nd.last), ino);
		if (err && ino->nlink)
			tmpfs_ispace_put(m, TMPFS_BOGO_INODE);
	}
	if (err)
		return err;
	ino->linkable = false;
	ino->nlink++;
	tmpfs_inode_nlink_changed(ino);
	tmpfs_touch_c(ino);
	tmpfs_touch_mc(nd.parent);
	/* fsnotify_link(): the link count, then the name */
	tmpfs_fsn_self(ino, IN_ATTRIB);
	tmpfs_fsn_create(nd.parent, nd.last, ino);
	return 0;
}

int tmpfs_link_xdev(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *ndir, const char *npath,
		    struct tmpfs_walk *w)
{
	struct tmpfs_nd nd;
	int err;

	tmpfs_nd_init(&nd, m, c, ndir, w, TMPFS_WALK_PARENT | TMPFS_WALK_NOXDEV);
	err = walk_create(&nd, npath, 0);
	/* filename_create(): mnt_want_write()'s EROFS after the lookup's errors; then do_linkat()'s EXDEV */
	return err ? err : nd.m->rdonly ? -EROFS : -EXDEV;
}

int tmpfs_symlinkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    const char *target, struct tmpfs_inode *dir,
		    const char *path, struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	struct tmpfs_nd nd;
	int err;

	if (!*target)
		return -ENOENT;
	if (strlen(target) >= TMPFS_PATH_MAX)
		return -ENAMETOOLONG;
	tmpfs_nd_init(&nd, m, c, dir, w, TMPFS_WALK_PARENT);
	err = walk_create(&nd, path, 0);
	if (!err)
		err = may_create(&nd);
	if (err)
		return err;
	err = tmpfs_inode_alloc(m, c, nd.parent, S_IFLNK | 0777, &ino);
	if (err)
		return err;
	err = tmpfs_symlink_init(ino, target);
	if (!err)
		err = tmpfs_dir_add(nd.parent, nd.last, strlen(nd.last), ino);
	if (err) {
		ino->nlink = 0;
		tmpfs_inode_maybe_free(ino);
		return err;
	}
	tmpfs_touch_mc(nd.parent);
	tmpfs_fsn_create(nd.parent, nd.last, ino);
	return 0;
}

int tmpfs_readlinkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		     struct tmpfs_inode *dir, const char *path, char *buf,
		     size_t len, struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err;

	if (!len || len > INT32_MAX)
		return -EINVAL;
	err = lookup_any(m, c, dir, path, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH,
			 w, &ino);
	if (err)
		return err;
	/* do_readlinkat(): an empty path names a symlink or nothing */
	if (!S_ISLNK(ino->mode))
		return *path ? -EINVAL : -ENOENT;
	tmpfs_touch_atime(ino);
	if (len > ino->lnk.len)
		len = ino->lnk.len;
	memcpy(buf, ino->lnk.target, len);
	return (int)len;
}

/* ---- attributes ---- */

/* truncate(2): vfs_truncate() */
int tmpfs_truncate(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, int64_t len,
		   struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err;

	if (len < 0)
		return -EINVAL;
	err = lookup_any(m, c, dir, path, 0, w, &ino);
	if (err)
		return err;
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (!S_ISREG(ino->mode))
		return -EINVAL;
	err = tmpfs_permission(ino, c, TMPFS_MAY_WRITE);
	if (err)
		return err;
	if (IS_APPEND(ino))
		return -EPERM; /* vfs_truncate() */
	if (ino->deny_write > 0)
		return -ETXTBSY; /* get_write_access() */
	if (tmpfs_newsize_big(ino, c, len))
		return -EFBIG;
	tmpfs_kill_priv(ino, c);
	/* unlike ftruncate(2) and O_TRUNC, truncate(2) passes no ATTR_MTIME/
	 * ATTR_CTIME: shmem_setattr() stamps a change of size, and
	 * shmem_truncate_range() runs (and stamps) whenever the file has
	 * pages; so only a same-size truncate of a page-less file is silent */
	tmpfs_reg_sync(ino);
	if (len == ino->reg.size && !tmpfs_reg_pages(ino)) {
		tmpfs_fsn_change(ino, IN_MODIFY); /* fsnotify_change(): ATTR_SIZE all the same */
		return 0;
	}
	tmpfs_reg_truncate(ino, len);
	tmpfs_touch_mc(ino);
	return 0;
}

int tmpfs_fchmodat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, mode_t mode,
		   int flags, struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err;

	err = tmpfs_at_check(TMPFS_AT_FCHMODAT, flags, 0);
	if (err)
		return err;
	err = lookup_any(m, c, dir, path, flags, w, &ino);
	if (err)
		return err;
	if (S_ISLNK(ino->mode))
		return -EOPNOTSUPP;
	return tmpfs_setmode(ino, c, mode);
}

int tmpfs_fchownat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, uid_t uid,
		   gid_t gid, int flags, struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err;

	err = tmpfs_at_check(TMPFS_AT_FCHOWNAT, flags, 0);
	if (err)
		return err;
	err = lookup_any(m, c, dir, path, flags, w, &ino);
	if (err)
		return err;
	return tmpfs_setowner(ino, c, uid, gid);
}

/*
 * utimensat(2): both UTIME_OMIT succeeds without even a lookup; tv_nsec is
 * checked after it, by tmpfs_settimes() (vfs_utimes()).
 */
int tmpfs_utimensat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *dir, const char *path,
		    const struct timespec *times, int flags,
		    struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err;

	if (times && times[0].tv_nsec == UTIME_OMIT &&
	    times[1].tv_nsec == UTIME_OMIT)
		return 0;
	err = tmpfs_at_check(TMPFS_AT_UTIMENSAT, flags, 0);
	if (err)
		return err;
	err = lookup_any(m, c, dir, path, flags, w, &ino);
	if (err)
		return err;
	return tmpfs_settimes(ino, c, times);
}

/*
 * access(2) checks with the real ids; as access_override_creds(), a
 * non-zero real uid has no capabilities and uid 0 has its permitted set.
 */
int tmpfs_faccessat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *dir, const char *path, int mode,
		    int flags, struct tmpfs_walk *w)
{
	struct tmpfs_cred ac = *c;
	struct tmpfs_inode *ino;
	int err;

	err = tmpfs_at_check(TMPFS_AT_FACCESSAT, flags, (uint64_t)mode);
	if (err)
		return err;
	if (!(flags & AT_EACCESS)) {
		ac.fsuid = c->uid;
		ac.fsgid = c->gid;
		ac.caps = c->uid ? 0 : c->caps_perm;
		ac.userns = NULL; /* its permitted set there is not known: none (docs/security.md) */
	}
	err = lookup_any(m, &ac, dir, path, flags & ~AT_EACCESS, w, &ino);
	if (err || mode == F_OK)
		return err;
	/* R_OK, W_OK, X_OK have the values of MAY_READ, MAY_WRITE, MAY_EXEC */
	return tmpfs_permission(ino, &ac, mode);
}

/* For special.c (mknod): the helpers of the creating calls above. */
int tmpfs_walk_create(struct tmpfs_nd *nd, const char *path, int want_dir)
{
	return walk_create(nd, path, want_dir);
}

int tmpfs_may_create(struct tmpfs_nd *nd)
{
	return may_create(nd);
}

int tmpfs_create_node(struct tmpfs_nd *nd, mode_t mode,
		      struct tmpfs_inode **out)
{
	return create_node(nd, mode, out);
}

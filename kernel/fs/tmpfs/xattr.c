/* ukcov tmpfs: extended attributes, as mm/shmem.c's handlers on fs/xattr.c.
 *
 * Namespaces: security.*, trusted.* and user.* are stored (simple_xattrs),
 * system.posix_acl_access/_default are POSIX ACLs (acl.c: an access ACL
 * that says no more than the mode bits is kept as the mode, as
 * posix_acl_update_mode() does), any other name is EOPNOTSUPP.  Checks in
 * vfs_*xattr()'s order: xattr_permission(), the capability LSM (security.*
 * writes need CAP_SYS_ADMIN, security.capability CAP_SETFCAP and a valid
 * header; a write, truncate or chown drops it), the handler.
 *
 * Space: with nr_inodes= each attribute costs simple_xattr_space() of the
 * mount's inode space, charged for the new value before the old one is
 * given back (ENOSPC comes before EEXIST and ENODATA), as
 * shmem_xattr_handler_set().
 *
 * An inode's attributes are a list in the order simple_xattr_list() gives
 * them (its rbtree, walked from rb_first: names in descending strcmp()
 * order).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <sys/inotify.h>

#include "tmpfs_int.h"

#define XATTR_CREATE_ 1
#define XATTR_REPLACE_ 2
#define PFX_SECURITY "security."
#define PFX_TRUSTED "trusted."
#define PFX_USER "user."
#define PFX_SYSTEM "system."
#define ACL_ACCESS "system.posix_acl_access"
#define ACL_DEFAULT "system.posix_acl_default"
#define CAPS_NAME "security.capability"

struct tmpfs_xattr {
	struct tmpfs_xattr *next;
	size_t size;
	char *name;
	char value[];
};

static int has_prefix(const char *name, const char *pfx)
{
	return !strncmp(name, pfx, strlen(pfx));
}

/* simple_xattr_space(): what an attribute costs of nr_inodes' space */
static uint64_t xattr_space(const char *name, size_t size)
{
	return 40 + size + strlen(name);
}

/* may_write_xattr(): no attribute, of any namespace, changes on these */
static int may_write_xattr(const struct tmpfs_inode *ino)
{
	return IS_IMMUTABLE(ino) || IS_APPEND(ino) ? -EPERM : 0;
}

/* xattr_permission() */
static int xattr_permission(const struct tmpfs_inode *ino, const struct tmpfs_cred *c,
			    const char *name, int mask)
{
	if ((mask & TMPFS_MAY_WRITE) && may_write_xattr(ino))
		return -EPERM;
	if (has_prefix(name, PFX_SECURITY) || has_prefix(name, PFX_SYSTEM))
		return 0;
	if (has_prefix(name, PFX_TRUSTED)) {
		if (!(c->caps & TMPFS_CAP_SYS_ADMIN))
			return mask & TMPFS_MAY_WRITE ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, PFX_USER)) {
		if (!S_ISREG(ino->mode) && !S_ISDIR(ino->mode))
			return mask & TMPFS_MAY_WRITE ? -EPERM : -ENODATA;
		if (S_ISDIR(ino->mode) && (ino->mode & S_ISVTX) && (mask & TMPFS_MAY_WRITE) &&
		    !tmpfs_is_owner(ino, c))
			return -EPERM;
	}
	return tmpfs_permission(ino, c, mask);
}

/* xattr_resolve_name() over shmem's handlers: 0, -EOPNOTSUPP, or -EINVAL
 * for a bare prefix ("user.") */
static int resolve_name(const char *name)
{
	static const char *const pfx[] = { PFX_SECURITY, PFX_TRUSTED, PFX_USER };

	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (has_prefix(name, pfx[i]))
			return name[strlen(pfx[i])] ? 0 : -EINVAL;
	return -EOPNOTSUPP;
}

/* struct vfs_ns_cap_data's header: revision 2 (20 bytes) or 3 (24) */
#define VFS_CAP_REVISION_MASK 0xFF000000u
#define VFS_CAP_REVISION_2 0x02000000u
#define VFS_CAP_REVISION_3 0x03000000u
#define XATTR_CAPS_SZ_2 20
#define XATTR_CAPS_SZ_3 24
#define VFS_CAP_FLAGS_EFFECTIVE 0x000001u

/* cap_convert_nscap() for the initial user namespace: a valid header and CAP_SETFCAP */
static int caps_check(const struct tmpfs_cred *c, const void *value, size_t size)
{
	uint32_t magic;

	if (size < sizeof(magic))
		return -EINVAL;
	memcpy(&magic, value, sizeof(magic));
	magic &= VFS_CAP_REVISION_MASK;
	if (!((size == XATTR_CAPS_SZ_2 && magic == VFS_CAP_REVISION_2) ||
	      (size == XATTR_CAPS_SZ_3 && magic == VFS_CAP_REVISION_3)))
		return -EINVAL;
	return c->caps & TMPFS_CAP_SETFCAP ? 0 : -EPERM;
}

/*
 * cap_inode_getsecurity(): a v3 value whose root id is 0 reads back, in
 * the initial namespace, as v2 (the effective flag kept). Returns the size
 * of what is read, the value in @v2 when converted.
 */
static size_t caps_read(const struct tmpfs_xattr *x, unsigned char v2[XATTR_CAPS_SZ_2])
{
	uint32_t magic, rootid;

	if (strcmp(x->name, CAPS_NAME) || x->size != XATTR_CAPS_SZ_3)
		return 0;
	memcpy(&rootid, x->value + XATTR_CAPS_SZ_2, sizeof(rootid));
	if (rootid)
		return 0;
	memcpy(&magic, x->value, sizeof(magic));
	magic = VFS_CAP_REVISION_2 | (magic & VFS_CAP_FLAGS_EFFECTIVE);
	memcpy(v2, x->value, XATTR_CAPS_SZ_2);
	memcpy(v2, &magic, sizeof(magic));
	return XATTR_CAPS_SZ_2;
}

/* the capability LSM's inode_setxattr/inode_removexattr */
static int cap_check(const struct tmpfs_cred *c, const char *name)
{
	if (!has_prefix(name, PFX_SECURITY))
		return 0;
	if (!strcmp(name, CAPS_NAME))
		return 0; /* cap_convert_nscap() / the removal check decide */
	return c->caps & TMPFS_CAP_SYS_ADMIN ? 0 : -EPERM;
}

static struct tmpfs_xattr **find(struct tmpfs_inode *ino, const char *name)
{
	struct tmpfs_xattr **pp = &ino->xattrs;

	while (*pp && strcmp((*pp)->name, name) > 0)
		pp = &(*pp)->next;
	return pp;
}

static void xattr_free(struct tmpfs_xattr *x)
{
	free(x->name);
	free(x);
}

/* simple_xattr_set() with shmem's space accounting; @value NULL removes */
static int xattr_store(struct tmpfs_inode *ino, const char *name, const void *value,
		       size_t size, int flags)
{
	struct tmpfs_xattr **pp = find(ino, name), *cur = *pp, *x = NULL;
	uint64_t space = value ? xattr_space(name, size) : 0;
	int err;

	if (space && tmpfs_ispace_get(ino->mnt, space))
		return -ENOSPC;
	err = -ENOMEM;
	if (value) {
		x = tmpfs_malloc(sizeof(*x) + size);
		if (!x || !(x->name = tmpfs_strdup(name))) {
			free(x);
			x = NULL;
			goto fail;
		}
		x->size = size;
		memcpy(x->value, value, size);
	}
	cur = cur && !strcmp(cur->name, name) ? cur : NULL;
	err = cur && (flags & XATTR_CREATE_) ? -EEXIST : !cur && (flags & XATTR_REPLACE_) ? -ENODATA : 0;
	if (err)
		goto fail;
	if (cur) {
		*pp = cur->next;
		tmpfs_ispace_put(ino->mnt, xattr_space(cur->name, cur->size));
		xattr_free(cur);
	}
	if (x) {
		x->next = *pp;
		*pp = x;
	}
	tmpfs_touch_c(ino);
	return 0;
fail:
	if (x)
		xattr_free(x);
	if (space)
		tmpfs_ispace_put(ino->mnt, space);
	return err;
}

/*
 * do_set_acl() + vfs_set_acl() + set_posix_acl() + simple_set_acl(), in
 * their order: the value's format (posix_acl_from_xattr(): EINVAL,
 * EOPNOTSUPP for another version), immutable or append-only (EPERM), no
 * ACLs on a symlink (EOPNOTSUPP), a default ACL on a non-directory
 * (EACCES; removing one: nothing), the owner or CAP_FOWNER (EPERM), then
 * the entries (posix_acl_valid(): EINVAL). An access ACL equivalent to a
 * mode becomes the mode.
 */
static int acl_set(struct tmpfs_inode *ino, const struct tmpfs_cred *c, const char *name,
		   const void *value, size_t size)
{
	int deflt = !strcmp(name, ACL_DEFAULT);
	struct tmpfs_acl *acl = NULL;
	mode_t mode = ino->mode;
	int err = 0;

	if (value && size) /* an empty value is no ACL: removal */
		err = tmpfs_acl_from_xattr(value, size, &acl);
	if (!err)
		err = may_write_xattr(ino);
	if (!err && S_ISLNK(ino->mode))
		err = -EOPNOTSUPP; /* no ->set_acl */
	if (!err && deflt && !S_ISDIR(ino->mode))
		err = acl ? -EACCES : 1;
	if (!err && !tmpfs_is_owner(ino, c))
		err = -EPERM;
	if (!err && acl)
		err = tmpfs_acl_valid(acl);
	if (err) {
		free(acl);
		return err > 0 ? 0 : err;
	}
	/* posix_acl_update_mode() */
	if (!deflt && acl && !tmpfs_acl_equiv_mode(acl, &mode)) {
		free(acl);
		acl = NULL;
	}
	if (!deflt && !tmpfs_in_group(c, ino->gid) && !tmpfs_capable(ino, c, TMPFS_CAP_FSETID))
		mode &= ~(mode_t)S_ISGID;
	ino->mode = mode;
	tmpfs_acl_replace(ino, deflt, acl);
	tmpfs_touch_c(ino);
	return 0;
}

/* vfs_get_acl(): Linux's xattr format, ENODATA when there is none */
static int64_t acl_get(struct tmpfs_inode *ino, const char *name, void *buf, size_t size)
{
	const struct tmpfs_acl *acl = tmpfs_acl_get(ino, !strcmp(name, ACL_DEFAULT));

	if (S_ISLNK(ino->mode))
		return -EOPNOTSUPP;
	return acl ? tmpfs_acl_to_xattr(acl, buf, size) : -ENODATA;
}

static int is_acl(const char *name)
{
	return !strcmp(name, ACL_ACCESS) || !strcmp(name, ACL_DEFAULT);
}

/* vfs_setxattr() (@value NULL: vfs_removexattr()) */
static int xattr_set(struct tmpfs_inode *ino, const struct tmpfs_cred *c, const char *name,
		     const void *value, size_t size, int flags)
{
	int err;

	/* path_setxattrat(), path_removexattrat(), their f* forms: mnt_want_write() first */
	if (ino->mnt->rdonly)
		return -EROFS;
	if (is_acl(name)) {
		/* vfs_set_acl() and vfs_remove_acl(): fsnotify_xattr() too, also when nothing changed */
		err = acl_set(ino, c, name, value, size);
		if (!err)
			tmpfs_fsn_change(ino, IN_ATTRIB);
		return err;
	}
	err = xattr_permission(ino, c, name, TMPFS_MAY_WRITE);
	if (!err)
		err = cap_check(c, name);
	if (!err && !strcmp(name, CAPS_NAME) && !value && !(c->caps & TMPFS_CAP_SETFCAP))
		err = -EPERM;
	if (!err && !strcmp(name, CAPS_NAME) && value)
		err = caps_check(c, value, size);
	if (!err)
		err = resolve_name(name);
	if (err)
		return err;
	/* __vfs_setxattr(): an empty value is an attribute, not a removal */
	err = xattr_store(ino, name, value ? (size ? value : "") : NULL, size,
			  value ? flags : XATTR_REPLACE_);
	if (!err)
		tmpfs_fsn_change(ino, IN_ATTRIB); /* fsnotify_xattr() */
	return err;
}

/* vfs_getxattr(): the value's size, copied when @size is non-zero */
static int64_t xattr_get(struct tmpfs_inode *ino, const struct tmpfs_cred *c, const char *name,
			 void *buf, size_t size)
{
	unsigned char v2[XATTR_CAPS_SZ_2];
	struct tmpfs_xattr *x;
	const char *val;
	size_t len;
	int err;

	if (is_acl(name))
		return acl_get(ino, name, buf, size);
	err = xattr_permission(ino, c, name, TMPFS_MAY_READ);
	if (!err)
		err = resolve_name(name);
	if (err)
		return err;
	x = *find(ino, name);
	if (!x || strcmp(x->name, name))
		return -ENODATA;
	len = caps_read(x, v2);
	val = len ? (const char *)v2 : x->value;
	len = len ? len : x->size;
	if (size && size < len)
		return -ERANGE;
	if (size)
		memcpy(buf, val, len);
	return (int64_t)len;
}

/* One name into listxattr's buffer: 0, or -ERANGE. */
static int list_put(const char *name, char *buf, size_t size, size_t *used)
{
	size_t len = strlen(name) + 1;

	if (size && size - *used < len)
		return -ERANGE;
	if (size)
		memcpy(buf + *used, name, len);
	*used += len;
	return 0;
}

/* simple_xattr_list(): the ACLs first (posix_acl_listxattr()), trusted.* only for CAP_SYS_ADMIN */
static int64_t xattr_list(struct tmpfs_inode *ino, const struct tmpfs_cred *c, char *buf,
			  size_t size)
{
	size_t used = 0;

	if (tmpfs_acl_get(ino, 0) && list_put(ACL_ACCESS, buf, size, &used))
		return -ERANGE;
	if (tmpfs_acl_get(ino, 1) && list_put(ACL_DEFAULT, buf, size, &used))
		return -ERANGE;
	for (struct tmpfs_xattr *x = ino->xattrs; x; x = x->next) {
		if (has_prefix(x->name, PFX_TRUSTED) && !(c->caps & TMPFS_CAP_SYS_ADMIN))
			continue;
		if (list_put(x->name, buf, size, &used))
			return -ERANGE;
	}
	return (int64_t)used;
}

int64_t tmpfs_inode_xattr(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
			  struct tmpfs_xattr_op *op)
{
	switch (op->op) {
	case TMPFS_XATTR_SET:
		return xattr_set(ino, c, op->name, op->value, op->size, op->flags);
	case TMPFS_XATTR_REMOVE:
		return xattr_set(ino, c, op->name, NULL, 0, XATTR_REPLACE_);
	case TMPFS_XATTR_GET:
		return xattr_get(ino, c, op->name, op->value, op->size);
	case TMPFS_XATTR_LIST:
		return xattr_list(ino, c, op->value, op->size);
	}
	return -EINVAL;
}

int64_t tmpfs_fxattr(struct tmpfs_file *f, const struct tmpfs_cred *c, struct tmpfs_xattr_op *op)
{
	if (f->flags & O_PATH)
		return -EBADF;
	return tmpfs_inode_xattr(f->inode, c, op);
}

int64_t tmpfs_xattrat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		      struct tmpfs_inode *dir, const char *path, int flags,
		      struct tmpfs_xattr_op *op, struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err = tmpfs_lookup_inode(m, c, dir, path, flags, w, &ino);

	return err ? err : tmpfs_inode_xattr(ino, c, op);
}

/*
 * cap_inode_killpriv(): a write, truncate or chown of a file drops its
 * file capabilities (security.capability), whoever does it.
 */
void tmpfs_xattr_kill_caps(struct tmpfs_inode *ino)
{
	struct tmpfs_xattr **pp = find(ino, CAPS_NAME), *x = *pp;

	if (!x || strcmp(x->name, CAPS_NAME))
		return;
	*pp = x->next;
	tmpfs_ispace_put(ino->mnt, xattr_space(x->name, x->size));
	xattr_free(x);
	tmpfs_touch_c(ino);
}

/* shmem_evict_inode(): the attributes' space goes back with the inode */
void tmpfs_xattr_free(struct tmpfs_inode *ino)
{
	while (ino->xattrs) {
		struct tmpfs_xattr *x = ino->xattrs;

		ino->xattrs = x->next;
		tmpfs_ispace_put(ino->mnt, xattr_space(x->name, x->size));
		xattr_free(x);
	}
}

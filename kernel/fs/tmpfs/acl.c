/* ukcov tmpfs: POSIX ACLs, as fs/posix_acl.c on a tmpfs with CONFIG_TMPFS_POSIX_ACL.
 *
 * An inode holds at most an access ACL (one the mode cannot express: with
 * named users or groups, or a mask) and, on a directory, a default ACL, in
 * the order the caller gave their entries (posix_acl_valid() asks for the
 * kernel's tag order, not sorted ids).  They are read and written as
 * xattrs in Linux's format (posix_acl_xattr_header: version 2, then
 * {tag u16, perm u16, id u32} entries), consulted by tmpfs_permission()
 * for everyone but the owner, inherited at create from the directory's
 * default ACL (which then replaces the umask), and kept in step with
 * chmod.  Like shmem's i_acl, they cost nothing of nr_inodes' space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfs_int.h"

#define ACL_USER_OBJ 0x01
#define ACL_USER 0x02
#define ACL_GROUP_OBJ 0x04
#define ACL_GROUP 0x08
#define ACL_MASK 0x10
#define ACL_OTHER 0x20
#define ACL_UNDEFINED_ID 0xffffffffu
#define ACL_XATTR_VERSION 2
#define ACL_PERMS 7u

struct tmpfs_acl_entry {
	uint16_t tag, perm;
	uint32_t id;
};

struct tmpfs_acl {
	size_t count;
	struct tmpfs_acl_entry e[];
};

static struct tmpfs_acl *acl_alloc(size_t count)
{
	struct tmpfs_acl *acl = tmpfs_malloc(sizeof(*acl) + count * sizeof(acl->e[0]));

	if (acl)
		acl->count = count;
	return acl;
}

static struct tmpfs_acl *acl_clone(const struct tmpfs_acl *acl)
{
	struct tmpfs_acl *copy = acl_alloc(acl->count);

	if (copy)
		memcpy(copy->e, acl->e, acl->count * sizeof(acl->e[0]));
	return copy;
}

/* posix_acl_valid(): the tags in order, one mask wherever named entries are */
int tmpfs_acl_valid(const struct tmpfs_acl *acl)
{
	int state = ACL_USER_OBJ, needs_mask = 0;

	for (size_t i = 0; i < acl->count; i++) {
		const struct tmpfs_acl_entry *pa = &acl->e[i];

		if (pa->perm & ~ACL_PERMS)
			return -EINVAL;
		switch (pa->tag) {
		case ACL_USER_OBJ:
			if (state != ACL_USER_OBJ)
				return -EINVAL;
			state = ACL_USER;
			break;
		case ACL_USER:
		case ACL_GROUP:
			if (state != (pa->tag == ACL_USER ? ACL_USER : ACL_GROUP))
				return -EINVAL;
			needs_mask = 1;
			break;
		case ACL_GROUP_OBJ:
			if (state != ACL_USER)
				return -EINVAL;
			state = ACL_GROUP;
			break;
		case ACL_MASK:
			if (state != ACL_GROUP)
				return -EINVAL;
			state = ACL_OTHER;
			break;
		case ACL_OTHER:
			if (state != ACL_OTHER && (state != ACL_GROUP || needs_mask))
				return -EINVAL;
			state = 0;
			break;
		default:
			return -EINVAL;
		}
	}
	return state == 0 ? 0 : -EINVAL;
}

/*
 * posix_acl_from_xattr()'s own checks of an entry: a known tag, and for a
 * named user or group an id make_kuid() maps. The rest (order, the mask,
 * the perms) is posix_acl_valid()'s, later: after the owner's EPERM.
 */
static bool acl_entry_parses(const struct tmpfs_acl_entry *e)
{
	switch (e->tag) {
	case ACL_USER_OBJ:
	case ACL_GROUP_OBJ:
	case ACL_MASK:
	case ACL_OTHER:
		return true;
	case ACL_USER:
	case ACL_GROUP:
		return e->id != ACL_UNDEFINED_ID;
	default:
		return false;
	}
}

int tmpfs_acl_from_xattr(const void *value, size_t size, struct tmpfs_acl **out)
{
	const unsigned char *p = value;
	struct tmpfs_acl *acl;
	uint32_t version;

	*out = NULL;
	/* posix_acl_from_xattr() */
	if (size < 4)
		return -EINVAL;
	memcpy(&version, p, 4);
	if (version != ACL_XATTR_VERSION)
		return -EOPNOTSUPP;
	if ((size - 4) % 8)
		return -EINVAL;
	if (size == 4)
		return 0; /* no entries: no ACL */
	acl = acl_alloc((size - 4) / 8);
	if (!acl)
		return -ENOMEM;
	for (size_t i = 0; i < acl->count; i++) {
		struct tmpfs_acl_entry *e = &acl->e[i];

		memcpy(&e->tag, p + 4 + 8 * i, 2);
		memcpy(&e->perm, p + 6 + 8 * i, 2);
		memcpy(&e->id, p + 8 + 8 * i, 4);
		if (e->tag != ACL_USER && e->tag != ACL_GROUP)
			e->id = ACL_UNDEFINED_ID;
		if (!acl_entry_parses(e)) {
			free(acl);
			return -EINVAL;
		}
	}
	*out = acl;
	return 0;
}

int64_t tmpfs_acl_to_xattr(const struct tmpfs_acl *acl, void *buf, size_t size)
{
	size_t len = 4 + 8 * acl->count;
	unsigned char *p = buf;
	uint32_t version = ACL_XATTR_VERSION;

	if (!size)
		return (int64_t)len;
	if (size < len)
		return -ERANGE;
	memcpy(p, &version, 4);
	for (size_t i = 0; i < acl->count; i++) {
		memcpy(p + 4 + 8 * i, &acl->e[i].tag, 2);
		memcpy(p + 6 + 8 * i, &acl->e[i].perm, 2);
		memcpy(p + 8 + 8 * i, &acl->e[i].id, 4);
	}
	return (int64_t)len;
}

/*
 * posix_acl_equiv_mode(): the mode's permission bits the ACL stands for
 * (the mask's as the group's), in *mode; 1 when the mode cannot say it all.
 */
int tmpfs_acl_equiv_mode(const struct tmpfs_acl *acl, mode_t *mode)
{
	mode_t m = 0;
	int not_equiv = 0;

	for (size_t i = 0; i < acl->count; i++) {
		const struct tmpfs_acl_entry *pa = &acl->e[i];

		switch (pa->tag) {
		case ACL_USER_OBJ:
			m |= (mode_t)(pa->perm & ACL_PERMS) << 6;
			break;
		case ACL_GROUP_OBJ:
			m |= (mode_t)(pa->perm & ACL_PERMS) << 3;
			break;
		case ACL_OTHER:
			m |= pa->perm & ACL_PERMS;
			break;
		case ACL_MASK:
			m = (m & ~(mode_t)S_IRWXG) | (mode_t)(pa->perm & ACL_PERMS) << 3;
			not_equiv = 1;
			break;
		default:
			not_equiv = 1;
		}
	}
	*mode = (*mode & ~(mode_t)0777) | m;
	return not_equiv;
}

/*
 * posix_acl_permission() for a caller that does not own the inode: the
 * first entry that names it decides, named entries and the owning group
 * through the mask. 0 or -EACCES.
 */
static int acl_permission(const struct tmpfs_inode *ino, const struct tmpfs_acl *acl,
			  const struct tmpfs_cred *c, int want)
{
	const struct tmpfs_acl_entry *pa = NULL;
	int found = 0;

	want &= TMPFS_MAY_READ | TMPFS_MAY_WRITE | TMPFS_MAY_EXEC;
	for (size_t i = 0; i < acl->count && !pa; i++) {
		const struct tmpfs_acl_entry *e = &acl->e[i];
		int in;

		switch (e->tag) {
		case ACL_USER:
			if (e->id == c->fsuid)
				pa = e;
			break;
		case ACL_GROUP_OBJ:
		case ACL_GROUP:
			in = tmpfs_in_group(c, e->tag == ACL_GROUP ? e->id : ino->gid);
			found |= in;
			if (in && (e->perm & want) == want)
				pa = e;
			break;
		case ACL_OTHER:
			if (found)
				return -EACCES;
			return (e->perm & want) == want ? 0 : -EACCES;
		}
	}
	if (!pa)
		return -EACCES; /* no other entry: posix_acl_permission()'s -EIO, unreachable */
	for (size_t i = 0; i < acl->count; i++)
		if (acl->e[i].tag == ACL_MASK)
			return (pa->perm & acl->e[i].perm & want) == want ? 0 : -EACCES;
	return (pa->perm & want) == want ? 0 : -EACCES;
}

int tmpfs_acl_check(const struct tmpfs_inode *ino, const struct tmpfs_cred *c, int mask)
{
	/* acl_permission_check(): only while the group bits grant something */
	if (!ino->acl_access || !(ino->mode & S_IRWXG))
		return -EAGAIN;
	return acl_permission(ino, ino->acl_access, c, mask);
}

/* __posix_acl_chmod(): the owner, mask (else owning group) and other entries follow the mode */
void tmpfs_acl_chmod(struct tmpfs_inode *ino)
{
	struct tmpfs_acl *acl = ino->acl_access;
	struct tmpfs_acl_entry *group = NULL, *mask = NULL;

	if (!acl)
		return;
	for (size_t i = 0; i < acl->count; i++) {
		struct tmpfs_acl_entry *e = &acl->e[i];

		if (e->tag == ACL_USER_OBJ)
			e->perm = (ino->mode >> 6) & ACL_PERMS;
		else if (e->tag == ACL_GROUP_OBJ)
			group = e;
		else if (e->tag == ACL_MASK)
			mask = e;
		else if (e->tag == ACL_OTHER)
			e->perm = ino->mode & ACL_PERMS;
	}
	if (mask)
		mask->perm = (ino->mode >> 3) & ACL_PERMS;
	else if (group)
		group->perm = (ino->mode >> 3) & ACL_PERMS;
}

/*
 * posix_acl_create_masq(): the new inode's ACL and mode both narrowed by
 * each other. Returns 1 when the ACL says more than the mode.
 */
static int acl_create_masq(struct tmpfs_acl *acl, mode_t *mode_p)
{
	struct tmpfs_acl_entry *group = NULL, *mask = NULL;
	mode_t mode = *mode_p;
	int not_equiv = 0;

	for (size_t i = 0; i < acl->count; i++) {
		struct tmpfs_acl_entry *pa = &acl->e[i];

		switch (pa->tag) {
		case ACL_USER_OBJ:
			pa->perm &= (mode >> 6) | ~(unsigned)S_IRWXO;
			mode &= ((mode_t)pa->perm << 6) | ~(mode_t)S_IRWXU;
			break;
		case ACL_GROUP_OBJ:
			group = pa;
			break;
		case ACL_OTHER:
			pa->perm &= mode | ~(unsigned)S_IRWXO;
			mode &= pa->perm | ~(mode_t)S_IRWXO;
			break;
		case ACL_MASK:
			mask = pa;
			not_equiv = 1;
			break;
		default:
			not_equiv = 1;
		}
	}
	if (!mask)
		mask = group; /* tmpfs_acl_valid(): there is one of the two */
	mask->perm &= (mode >> 3) | ~(unsigned)S_IRWXO;
	mode &= ((mode_t)mask->perm << 3) | ~(mode_t)S_IRWXG;
	*mode_p = mode;
	return not_equiv;
}

mode_t tmpfs_acl_umask(const struct tmpfs_inode *dir, const struct tmpfs_cred *c, mode_t mode)
{
	/* vfs_prepare_mode() skips it on a POSIX-ACL fs; posix_acl_create() applies it without a default ACL */
	return dir && dir->acl_default ? mode : mode & ~(mode_t)c->umask;
}

int tmpfs_acl_create(const struct tmpfs_inode *dir, struct tmpfs_inode *ino)
{
	struct tmpfs_acl *acl, *deflt = NULL;
	mode_t mode = ino->mode;

	/* posix_acl_create(): symlinks take none */
	if (!dir || !dir->acl_default || S_ISLNK(ino->mode))
		return 0;
	acl = acl_clone(dir->acl_default);
	if (acl && S_ISDIR(ino->mode) && !(deflt = acl_clone(dir->acl_default))) {
		free(acl);
		acl = NULL;
	}
	if (!acl)
		return -ENOMEM;
	if (!acl_create_masq(acl, &mode)) {
		free(acl);
		acl = NULL;
	}
	ino->mode = mode;
	ino->acl_access = acl;
	ino->acl_default = deflt;
	return 0;
}

void tmpfs_acl_replace(struct tmpfs_inode *ino, int deflt, struct tmpfs_acl *acl)
{
	struct tmpfs_acl **slot = deflt ? &ino->acl_default : &ino->acl_access;

	free(*slot);
	*slot = acl;
}

const struct tmpfs_acl *tmpfs_acl_get(const struct tmpfs_inode *ino, int deflt)
{
	return deflt ? ino->acl_default : ino->acl_access;
}

void tmpfs_acl_free(struct tmpfs_inode *ino)
{
	free(ino->acl_access);
	free(ino->acl_default);
	ino->acl_access = ino->acl_default = NULL;
}

/* ukcov tmpfs: mounts, size accounting and statfs(2). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "tmpfs_int.h"

/* include/linux/statfs.h: f_flags is valid */
#define TMPFS_ST_VALID 0x0020

/* size= in pages, rounded up */
static uint64_t size_pages(uint64_t bytes)
{
	return (bytes >> TMPFS_PAGE_SHIFT) + !!(bytes & (TMPFS_PAGE_SIZE - 1));
}

/* shmem_default_max_blocks(), or size= rounded up to pages (0: unlimited) */
static void set_limits(struct tmpfs_mount *m, const struct tmpfs_mount_opts *o)
{
	if (o->size == TMPFS_UNLIMITED) {
		m->unlimited_pages = true;
		m->max_pages = UINT64_MAX >> (TMPFS_PAGE_SHIFT + 1);
	} else if (o->size) {
		m->max_pages = size_pages(o->size);
	} else {
		m->max_pages = tmpfs_ram_pages() / 2;
	}
	/* shmem_default_max_inodes(): half the pages (no highmem on 64-bit) */
	if (o->nr_inodes == TMPFS_UNLIMITED)
		m->max_inodes = 0;
	else
		m->max_inodes = o->nr_inodes ? o->nr_inodes : tmpfs_ram_pages() / 2;
	m->free_ispace = m->max_inodes * TMPFS_BOGO_INODE;
}

int tmpfs_mount_create(const struct tmpfs_mount_opts *opts,
		       struct tmpfs_mount **out)
{
	struct tmpfs_cred root = { .caps = TMPFS_CAP_ALL };
	struct tmpfs_mount *m;
	int err = -ENOMEM;

	if (!opts->mountpoint || opts->mountpoint[0] != '/')
		return -EINVAL;
	m = tmpfs_calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->mountpoint = tmpfs_strdup(opts->mountpoint);
	if (!m->mountpoint)
		goto fail;
	m->mplen = strlen(m->mountpoint);
	while (m->mplen > 0 && m->mountpoint[m->mplen - 1] == '/')
		m->mountpoint[--m->mplen] = 0;
	m->dev = opts->dev;
	m->mnt_id = opts->mnt_id;
	m->bdev_blksize = opts->bdev_blksize;
	m->dnotify = opts->dnotify;
	m->protected_regular = opts->protected_regular;
	m->protected_fifos = opts->protected_fifos;
	m->protected_symlinks = opts->protected_symlinks;
	set_limits(m, opts);
	/* shown in mountinfo as the mount made them (a remount changes none but huge=, inode64) */
	m->root_mode = opts->mode ? opts->mode & 07777 : 01777;
	m->root_uid = opts->uid;
	m->root_gid = opts->gid;
	m->huge = opts->huge;
	m->inode64 = opts->inode64;
	m->noswap = opts->noswap;
	m->next_ino = 1;
	m->st_flags = ST_RELATIME; /* path_mount(): relatime unless told otherwise */
	tmpfs_store_init(m, !opts->no_private_store);
	root.fsuid = opts->uid;
	root.fsgid = opts->gid;
	/* mode= 0 is a mode: only an unset one is 01777 */
	err = tmpfs_inode_alloc(m, &root, NULL,
				S_IFDIR | m->root_mode,
				&m->root);
	if (err)
		goto fail;
	m->root->refs++; /* the mount's own reference */
	m->root->dir.parent = m->root;
	*out = m;
	return 0;
fail:
	tmpfs_store_fini(m);
	free(m->mountpoint);
	free(m);
	return err;
}

/*
 * Frees the tree depth first.  Open files and cwd references must have
 * been dropped before (documented in tmpfs.h); inodes still referenced are
 * freed anyway, and such references become invalid.
 */
static void destroy_tree(struct tmpfs_inode *dir)
{
	struct tmpfs_dirent *de;

	while ((de = dir->dir.head)) {
		struct tmpfs_inode *ino = de->inode;

		if (S_ISDIR(ino->mode)) {
			destroy_tree(ino);
			ino->dir.parent = NULL;
			ino->nlink = 0;
		} else {
			ino->nlink--;
		}
		tmpfs_dir_remove(dir, de);
		if (!ino->nlink) {
			ino->refs = 0;
			tmpfs_inode_maybe_free(ino);
		}
	}
}

void tmpfs_mount_destroy(struct tmpfs_mount *m)
{
	if (!m)
		return;
	destroy_tree(m->root);
	m->root->dir.parent = NULL;
	m->root->nlink = 0;
	m->root->refs = 0;
	tmpfs_inode_maybe_free(m->root);
	tmpfs_store_fini(m);
	free(m->mountpoint);
	free(m);
}

struct tmpfs_inode *tmpfs_root(struct tmpfs_mount *m)
{
	return m->root;
}

/*
 * The pages in use.  With a private store (store.c) they are the host
 * mount's count, which also has the pages mappings wrote since the files
 * were last looked at; else ukcov's own count.
 */
static uint64_t used_pages(struct tmpfs_mount *m)
{
	uint64_t host;

	if (!tmpfs_store_used(m, &host))
		m->used_pages = host;
	return m->used_pages;
}

/* Non-data pages (a long symlink's): the private store holds them too. */
int tmpfs_acct_pages(struct tmpfs_mount *m, uint64_t n)
{
	if (used_pages(m) + n > m->max_pages)
		return -ENOSPC;
	for (uint64_t i = 0; i < n; i++) {
		int err = tmpfs_store_ballast_get(m);

		if (err) {
			while (i--)
				tmpfs_store_ballast_put(m);
			return err;
		}
	}
	m->used_pages += n;
	return 0;
}

int tmpfs_ispace_get(struct tmpfs_mount *m, uint64_t bytes)
{
	if (!m->max_inodes)
		return 0;
	if (m->free_ispace < bytes)
		return -ENOSPC;
	m->free_ispace -= bytes;
	return 0;
}

void tmpfs_ispace_put(struct tmpfs_mount *m, uint64_t bytes)
{
	if (m->max_inodes)
		m->free_ispace += bytes;
}

void tmpfs_unacct_pages(struct tmpfs_mount *m, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		tmpfs_store_ballast_put(m);
	m->used_pages -= n;
}

uint64_t tmpfs_used_bytes(struct tmpfs_mount *m)
{
	return used_pages(m) << TMPFS_PAGE_SHIFT;
}

/* as shmem_statfs(): an unlimited count is reported as 0 */
int tmpfs_statfs(struct tmpfs_mount *m, struct statfs *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = TMPFS_MAGIC_NR;
	sf->f_bsize = TMPFS_PAGE_SIZE;
	sf->f_frsize = TMPFS_PAGE_SIZE;
	sf->f_namelen = TMPFS_NAME_MAX;
	if (!m->unlimited_pages) {
		sf->f_blocks = m->max_pages;
		/* memfds: pages written through a mapping may have gone past the limit */
		sf->f_bfree = used_pages(m) < m->max_pages ? m->max_pages - m->used_pages : 0;
		sf->f_bavail = sf->f_bfree;
	}
	if (m->max_inodes) {
		sf->f_files = m->max_inodes;
		sf->f_ffree = m->free_ispace / TMPFS_BOGO_INODE;
	}
	sf->f_flags = TMPFS_ST_VALID | m->st_flags | (m->rdonly ? ST_RDONLY : 0);
	memcpy(&sf->f_fsid, &m->dev, sizeof(sf->f_fsid) < sizeof(m->dev) ?
					      sizeof(sf->f_fsid) : sizeof(m->dev));
	return 0;
}

int tmpfs_mount_set_rdonly(struct tmpfs_mount *m, int rdonly, int sb)
{
	/*
	 * sb_prepare_remount_readonly(): a writer, or an inode alive unlinked
	 * (s_remove_count); a mount read-only already has its writers' counts
	 * skipped. A plain remount's MNT_READONLY alone is set by
	 * set_mount_attributes(), unchecked: open writers keep writing.
	 */
	if (rdonly && sb && ((!m->rdonly && m->nwriters) || m->nremoved))
		return -EBUSY;
	m->rdonly = !!rdonly;
	return 0;
}

int tmpfs_mount_rdonly(const struct tmpfs_mount *m)
{
	return m->rdonly;
}

void tmpfs_mount_set_stflags(struct tmpfs_mount *m, unsigned long st_flags)
{
	m->st_flags = st_flags;
}

int tmpfs_mount_reconfigure(struct tmpfs_mount *m, const struct tmpfs_mount_opts *o)
{
	uint64_t used_isp = m->max_inodes * TMPFS_BOGO_INODE - m->free_ispace;
	bool limit_pages = o->size && o->size != TMPFS_UNLIMITED;
	bool limit_inodes = o->nr_inodes && o->nr_inodes != TMPFS_UNLIMITED;
	int err;

	if (limit_pages && (m->unlimited_pages || used_pages(m) > size_pages(o->size)))
		return -EINVAL;
	if (limit_inodes && (!m->max_inodes || o->nr_inodes * TMPFS_BOGO_INODE < used_isp))
		return -EINVAL;
	/* "Cannot disable swap on remount" */
	if (o->noswap && !m->noswap)
		return -EINVAL;
	if (o->size) {
		uint64_t max = m->max_pages;
		bool unlimited = m->unlimited_pages;

		m->unlimited_pages = !limit_pages;
		m->max_pages = limit_pages ? size_pages(o->size) : UINT64_MAX >> (TMPFS_PAGE_SHIFT + 1);
		if ((err = tmpfs_store_resize(m))) {
			m->max_pages = max;
			m->unlimited_pages = unlimited;
			return err;
		}
	}
	if (o->seen & TMPFS_SEEN_HUGE)
		m->huge = o->huge;
	if (o->seen & TMPFS_SEEN_INUMS)
		m->inode64 = o->inode64;
	if (o->nr_inodes) {
		m->max_inodes = limit_inodes ? o->nr_inodes : 0;
		m->free_ispace = limit_inodes ? o->nr_inodes * TMPFS_BOGO_INODE - used_isp : 0;
	}
	return 0;
}

/* the first subdirectory entry at or after @de */
static struct tmpfs_dirent *next_subdir(struct tmpfs_dirent *de)
{
	while (de && !S_ISDIR(de->inode->mode))
		de = de->next;
	return de;
}

/*
 * A directory's references beyond its structure's: its subdirectories
 * pin it (".."), the mount pins its root, a mount on it pins it; any
 * other holder is a cwd (open directories count as open files).
 */
static int dir_held(const struct tmpfs_inode *dir)
{
	int structural = (dir == dir->mnt->root) + !!dir->dir.mounted;

	for (struct tmpfs_dirent *de = dir->dir.head; de; de = de->next)
		if (S_ISDIR(de->inode->mode))
			structural++;
		else if (de->inode->refs > 0)
			return 1; /* an open file or node */
	return dir->refs > structural;
}

/* Every directory of the tree, without recursion (a guest makes the tree as deep as it likes). */
static int tree_held(struct tmpfs_inode *root)
{
	struct tmpfs_inode *d = root;
	struct tmpfs_dirent *de;

	for (;;) {
		if (dir_held(d))
			return 1;
		de = next_subdir(d->dir.head);
		while (!de && d != root) {
			de = d->dir.self ? next_subdir(d->dir.self->next) : NULL;
			d = d->dir.parent;
		}
		if (!de)
			return 0;
		d = de->inode;
	}
}

int tmpfs_mount_busy(struct tmpfs_mount *m)
{
	return m->nfiles > 0 || tree_held(m->root);
}

int tmpfs_dir_mount_mark(struct tmpfs_inode *dir, int on)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (on) {
		dir->dir.mounted++;
		tmpfs_inode_get(dir);
	} else if (dir->dir.mounted > 0) {
		dir->dir.mounted--;
		tmpfs_inode_put(dir);
	}
	return 0;
}

int tmpfs_mount_move(struct tmpfs_mount *m, const char *mountpoint)
{
	char *mp = tmpfs_strdup(mountpoint);

	if (!mp)
		return -ENOMEM;
	free(m->mountpoint);
	m->mountpoint = mp;
	m->mplen = strlen(mp);
	return 0;
}

void tmpfs_mount_detach(struct tmpfs_mount *m)
{
	m->detached = true;
}

struct tmpfs_inode *tmpfs_dir_parent(struct tmpfs_inode *dir)
{
	return dir->dir.parent ? dir->dir.parent : dir;
}

int tmpfs_dir_guest_path(struct tmpfs_inode *dir, char *buf, size_t len)
{
	struct tmpfs_mount *m = dir->mnt;
	int n = tmpfs_dir_path(dir, buf, len);

	if (n < 0)
		return n;
	if (m->mplen + (size_t)n + 1 > len)
		return -ERANGE;
	if (n == 1) { /* the root: the mount point itself, without tmpfs_dir_path()'s "/" */
		n = 0;
		buf[0] = '\0';
	}
	memmove(buf + m->mplen, buf, (size_t)n + 1);
	memcpy(buf, m->mountpoint, m->mplen);
	return (int)m->mplen + n;
}

/* ukcov tmpfs: directories.
 *
 * Entries form a list in the order of Linux 6.18's d_children, which
 * fs/libfs.c offset_iterate_dir() walks: d_alloc() adds a new entry at the
 * head, and __d_move() puts a renamed entry (both, for an exchange) at the
 * head of its new directory.  Each entry has a cookie: a new name takes
 * the next value of a counter starting at DIR_OFFSET_MIN (3) that never
 * goes back (simple_offset_add() with mtree_alloc_cyclic()); a rename over
 * an existing name takes that name's cookie and an exchange swaps them
 * (simple_offset_rename*()).  So cookies, the d_off values, are not
 * monotonic in listing order after renames; a listing resumes at the
 * entry with the largest cookie not above the position, as
 * offset_dir_lookup() does with mas_find_rev().
 * Measured on /dev/shm: ". .. newest ... oldest"; d_off of "." is 1, of
 * ".." the cookie of the newest entry, of each entry the cookie of the next
 * one, and of the last one 0x7fffffff (DIR_OFFSET_EOD).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <sys/inotify.h>

#include "tmpfs_int.h"

/*
 * The two hash tables. Invariant: while dir.byname is set, every entry of
 * the directory is in both; an allocation that fails drops them (lookups
 * then walk the list, as correct and only slower) until the next add
 * rebuilds them.
 */
static uint32_t name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

static size_t cookie_slot(int64_t cookie, unsigned bits)
{
	return (size_t)(((uint64_t)cookie * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

static void hash_insert(struct tmpfs_dir *d, struct tmpfs_dirent *de)
{
	size_t n = (size_t)de->hash >> (32 - d->hbits), c = cookie_slot(de->cookie, d->hbits);

	de->hname = d->byname[n];
	d->byname[n] = de;
	de->hcookie = d->bycookie[c];
	d->bycookie[c] = de;
}

static void hash_remove(struct tmpfs_dir *d, struct tmpfs_dirent *de)
{
	struct tmpfs_dirent **pp;

	if (!d->byname)
		return;
	for (pp = &d->byname[(size_t)de->hash >> (32 - d->hbits)]; *pp != de; pp = &(*pp)->hname)
		;
	*pp = de->hname;
	for (pp = &d->bycookie[cookie_slot(de->cookie, d->hbits)]; *pp != de; pp = &(*pp)->hcookie)
		;
	*pp = de->hcookie;
}

static void hash_drop(struct tmpfs_dir *d)
{
	free(d->byname);
	d->byname = d->bycookie = NULL;
	d->hbits = 0;
}

/*
 * Room for one more entry at a load of at most one per chain: the tables
 * double (every entry rehashed: amortized O(1) per add). Returns 0, or
 * -ENOMEM with the tables dropped.
 */
static int hash_reserve(struct tmpfs_dir *d)
{
	unsigned bits = d->hbits ? d->hbits : 4;
	struct tmpfs_dirent **t;

	if (d->byname && d->nentries + 1 <= (1ull << d->hbits))
		return 0;
	while (d->nentries + 1 > (1ull << bits))
		bits++;
	if (d->byname && bits == d->hbits)
		return 0;
	t = tmpfs_calloc((size_t)2 << bits, sizeof(*t));
	if (!t) {
		hash_drop(d);
		return -ENOMEM;
	}
	free(d->byname);
	d->byname = t;
	d->bycookie = t + ((size_t)1 << bits);
	d->hbits = bits;
	for (struct tmpfs_dirent *de = d->head; de; de = de->next)
		hash_insert(d, de);
	return 0;
}

static struct tmpfs_dirent *dir_find(struct tmpfs_inode *dir, const char *name, size_t len)
{
	struct tmpfs_dirent *de;

	if (dir->dir.byname) {
		uint32_t h = name_hash(name, len);

		for (de = dir->dir.byname[(size_t)h >> (32 - dir->dir.hbits)]; de; de = de->hname)
			if (de->hash == h && de->namelen == len && !memcmp(de->name, name, len))
				return de;
		return NULL;
	}
	for (de = dir->dir.head; de; de = de->next)
		if (de->namelen == len && !memcmp(de->name, name, len))
			return de;
	return NULL;
}

struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_inode *dir,
				      const char *name, size_t len)
{
	struct tmpfs_dirent *de = dir_find(dir, name, len);

	/* the name a non-directory was reached by is its events' (Linux's dentry) */
	if (de && !S_ISDIR(de->inode->mode))
		de->inode->lparent = dir, de->inode->lde = de;
	return de;
}

static void list_del(struct tmpfs_inode *dir, struct tmpfs_dirent *de)
{
	if (de->prev)
		de->prev->next = de->next;
	else
		dir->dir.head = de->next;
	if (de->next)
		de->next->prev = de->prev;
	dir->dir.nentries--;
}

static void list_add_head(struct tmpfs_inode *dir, struct tmpfs_dirent *de)
{
	de->prev = NULL;
	de->next = dir->dir.head;
	if (de->next)
		de->next->prev = de;
	dir->dir.head = de;
	dir->dir.nentries++;
}

/* returns 0 or -ENOMEM; the caller accounts links */
struct tmpfs_dirent *tmpfs_dirent_new(const char *name, size_t len)
{
	struct tmpfs_dirent *de = tmpfs_malloc(sizeof(*de) + len + 1);

	if (!de)
		return NULL;
	memcpy(de->name, name, len);
	de->name[len] = 0;
	de->namelen = len;
	de->hash = name_hash(name, len);
	return de;
}

int tmpfs_dir_add(struct tmpfs_inode *dir, const char *name, size_t len,
		  struct tmpfs_inode *ino)
{
	struct tmpfs_dirent *de = tmpfs_dirent_new(name, len);

	if (!de)
		return -ENOMEM;
	tmpfs_dir_insert(dir, de, ino);
	return 0;
}

void tmpfs_dir_insert(struct tmpfs_inode *dir, struct tmpfs_dirent *de, struct tmpfs_inode *ino)
{
	bool hashed;

	de->inode = ino;
	de->cookie = dir->dir.next_cookie++;
	/* Before the list add: a table (re)built here must not hold de twice. */
	hashed = !hash_reserve(&dir->dir);
	list_add_head(dir, de);
	if (hashed)
		hash_insert(&dir->dir, de);
	if (S_ISDIR(ino->mode))
		tmpfs_dir_set_parent(ino, dir, de);
	else
		ino->lparent = dir, ino->lde = de;
}

/* __d_move(): a renamed entry goes to the head of its (new) directory */
void tmpfs_dir_move_head(struct tmpfs_inode *from, struct tmpfs_dirent *de,
			 struct tmpfs_inode *to)
{
	list_del(from, de);
	if (from != to) {
		hash_remove(&from->dir, de);
		if (!from->dir.nentries)
			hash_drop(&from->dir);
		if (!hash_reserve(&to->dir))
			hash_insert(&to->dir, de);
	}
	list_add_head(to, de);
	if (!S_ISDIR(de->inode->mode))
		de->inode->lparent = to, de->inode->lde = de;
}

void tmpfs_dir_remove(struct tmpfs_inode *dir, struct tmpfs_dirent *de)
{
	hash_remove(&dir->dir, de);
	list_del(dir, de);
	if (!dir->dir.nentries)
		hash_drop(&dir->dir);
	if (S_ISDIR(de->inode->mode) && de->inode->dir.self == de)
		de->inode->dir.self = NULL;
	if (de->inode->lde == de)
		de->inode->lparent = NULL, de->inode->lde = NULL;
	free(de);
}

/* A directory pins its parent, as a dentry does (for ".." and getcwd). */
void tmpfs_dir_set_parent(struct tmpfs_inode *child, struct tmpfs_inode *dir,
			  struct tmpfs_dirent *de)
{
	struct tmpfs_inode *old = child->dir.parent;

	child->dir.self = de;
	if (old == dir)
		return;
	dir->refs++;
	child->dir.parent = dir;
	if (old)
		tmpfs_inode_put(old);
}

int tmpfs_dir_empty(const struct tmpfs_inode *dir)
{
	return dir->dir.head == NULL;
}

void tmpfs_dir_free(struct tmpfs_inode *dir)
{
	struct tmpfs_inode *parent = dir->dir.parent;

	dir->dir.parent = NULL;
	hash_drop(&dir->dir);
	if (dir->dir.hostfd >= 0) {
		close(dir->dir.hostfd);
		tmpfs_store_dir_free(dir->mnt, dir->ino);
	}
	dir->dir.hostfd = -1;
	if (parent && parent != dir)
		tmpfs_inode_put(parent);
}

int tmpfs_dir_path(struct tmpfs_inode *dir, char *buf, size_t len)
{
	size_t pos = len;
	struct tmpfs_inode *d;

	if (!len)
		return -ERANGE;
	buf[--pos] = 0;
	for (d = dir; d != d->mnt->root; d = d->dir.parent) {
		struct tmpfs_dirent *de = d->dir.self;

		if (!de || !d->nlink)
			return -ENOENT;
		if (pos < de->namelen + 1)
			return -ERANGE;
		pos -= de->namelen;
		memcpy(buf + pos, de->name, de->namelen);
		buf[--pos] = '/';
	}
	if (pos == len - 1) {
		if (pos < 1)
			return -ERANGE;
		buf[--pos] = '/';
	}
	memmove(buf, buf + pos, len - pos);
	return (int)(len - pos - 1);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct emit_ctx {
	char *buf;
	size_t len, used;
	struct linux_dirent64 *prev;
	int64_t pos;
};

/*
 * As filldir64(): a record's d_off is the position reached after it, set
 * when the next one is emitted (or at the end); returns 0 when full.
 */
static int emit(struct emit_ctx *e, const char *name, size_t namelen,
		uint64_t ino, unsigned type)
{
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + namelen + 1 +
			 7) & ~(size_t)7;
	struct linux_dirent64 *d;

	if (e->used + reclen > e->len)
		return 0;
	if (e->prev)
		e->prev->d_off = e->pos;
	d = (struct linux_dirent64 *)(e->buf + e->used);
	d->d_ino = ino;
	d->d_off = 0;
	d->d_reclen = (unsigned short)reclen;
	d->d_type = (unsigned char)type;
	memcpy(d->d_name, name, namelen);
	memset(d->d_name + namelen, 0, reclen - namelen -
					       offsetof(struct linux_dirent64, d_name));
	e->prev = d;
	e->used += reclen;
	return 1;
}

static unsigned dtype(const struct tmpfs_inode *ino)
{
	return (ino->mode & S_IFMT) >> 12;
}

/*
 * As offset_dir_lookup(): the entry with the largest cookie not above
 * @pos, and when there is none, the first entry (find_positive_dentry()
 * with no starting point).
 */
static struct tmpfs_dirent *resume_at(struct tmpfs_inode *dir, int64_t pos)
{
	struct tmpfs_dirent *de, *best = NULL;

	if (pos == TMPFS_DIR_OFFSET_FIRST)
		return dir->dir.head;
	/*
	 * A listing resumes at the cookie of the entry it stopped before
	 * (emit_entries()): while that entry lives it is the answer, found in
	 * O(1); cookies are unique, so no other can be larger and not above.
	 */
	if (dir->dir.byname) {
		for (de = dir->dir.bycookie[cookie_slot(pos, dir->dir.hbits)]; de; de = de->hcookie)
			if (de->cookie == pos)
				return de;
	}
	for (de = dir->dir.head; de; de = de->next)
		if (de->cookie <= pos && (!best || de->cookie > best->cookie))
			best = de;
	return best ? best : dir->dir.head;
}

static void emit_entries(struct tmpfs_inode *dir, struct emit_ctx *e)
{
	struct tmpfs_dirent *de;

	for (de = resume_at(dir, e->pos); de; de = de->next) {
		e->pos = de->cookie;
		if (!emit(e, de->name, de->namelen, de->inode->ino,
			  dtype(de->inode)))
			return;
	}
	e->pos = TMPFS_DIR_OFFSET_EOD;
}

/* getdents64(2) as iterate_dir() + offset_readdir() */
int tmpfs_dir_getdents(struct tmpfs_file *f, void *buf, size_t len)
{
	struct tmpfs_inode *dir = f->inode;
	struct emit_ctx e = { buf, len, 0, NULL, f->pos };

	/* as iterate_dir(): a removed directory (IS_DEADDIR) is -ENOENT */
	if (!dir->nlink)
		return -ENOENT;
	if (e.pos == 0) {
		if (!emit(&e, ".", 1, dir->ino, DT_DIR))
			goto out;
		e.pos = 1;
	}
	if (e.pos == 1) {
		if (!emit(&e, "..", 2, dir->dir.parent->ino, DT_DIR))
			goto out;
		e.pos = TMPFS_DIR_OFFSET_FIRST;
	}
	if (e.pos != TMPFS_DIR_OFFSET_EOD)
		emit_entries(dir, &e);
out:
	if (e.prev)
		e.prev->d_off = e.pos;
	f->pos = e.pos;
	if (!(f->flags & O_NOATIME))
		tmpfs_touch_atime(dir);
	/* filldir64(): not even one record fitted */
	if (!e.used && e.pos != TMPFS_DIR_OFFSET_EOD)
		return -EINVAL;
	return (int)e.used;
}

/* as offset_dir_llseek(): SEEK_SET and SEEK_CUR only, not below 0 */
int64_t tmpfs_dir_lseek(struct tmpfs_file *f, int64_t off, int whence)
{
	/* loff_t arithmetic wraps in the kernel: past LLONG_MAX it is negative, EINVAL */
	if (whence == SEEK_CUR) {
		if (__builtin_add_overflow(off, f->pos, &off))
			return -EINVAL;
	} else if (whence != SEEK_SET)
		return -EINVAL;
	if (off < 0)
		return -EINVAL;
	f->pos = off;
	return off;
}

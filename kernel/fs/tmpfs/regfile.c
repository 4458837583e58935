/* ukcov tmpfs: regular file data.
 *
 * Data lives in page-sized chunks in a 64-ary radix tree indexed by page
 * number, as shmem keeps folios in the page cache's xarray: a hole has no
 * page, costs nothing and reads as zeros.  Pages are charged to the mount
 * when first written (not on truncate up), as shmem_get_folio() does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfs_int.h"

static uint64_t radix_cap(unsigned h)
{
	return h * TMPFS_RADIX_BITS >= 64 ? UINT64_MAX :
					    1ull << (h * TMPFS_RADIX_BITS);
}

static unsigned slot_of(uint64_t idx, unsigned h)
{
	return (unsigned)(idx >> ((h - 1) * TMPFS_RADIX_BITS)) &
	       (TMPFS_RADIX_SLOTS - 1);
}

void *tmpfs_radix_lookup(const struct tmpfs_radix *r, uint64_t idx)
{
	const struct tmpfs_radix_node *n = r->top;
	unsigned h;

	if (!r->height || idx >= radix_cap(r->height))
		return NULL;
	for (h = r->height; h > 1 && n; h--)
		n = n->slot[slot_of(idx, h)];
	return n ? n->slot[idx & (TMPFS_RADIX_SLOTS - 1)] : NULL;
}

static int radix_grow(struct tmpfs_radix *r, uint64_t idx)
{
	while (!r->height || idx >= radix_cap(r->height)) {
		struct tmpfs_radix_node *n = calloc(1, sizeof(*n));

		if (!n)
			return -ENOMEM;
		if (r->top) {
			n->slot[0] = r->top;
			n->count = 1;
		}
		r->top = n;
		r->height++;
	}
	return 0;
}

/* returns 0 or -ENOMEM; the slot must be empty */
int tmpfs_radix_insert(struct tmpfs_radix *r, uint64_t idx, void *p)
{
	struct tmpfs_radix_node *n;
	unsigned h;
	int err = radix_grow(r, idx);

	if (err)
		return err;
	n = r->top;
	for (h = r->height; h > 1; h--) {
		void **slot = &n->slot[slot_of(idx, h)];

		if (!*slot) {
			*slot = calloc(1, sizeof(*n));
			if (!*slot)
				return -ENOMEM;
			n->count++;
		}
		n = *slot;
	}
	n->slot[idx & (TMPFS_RADIX_SLOTS - 1)] = p;
	n->count++;
	return 0;
}

static int next_rec(const struct tmpfs_radix_node *n, unsigned h, uint64_t base,
		    uint64_t from, uint64_t *found)
{
	unsigned shift = (h - 1) * TMPFS_RADIX_BITS;
	unsigned i = from > base ? (unsigned)((from - base) >> shift) : 0;

	for (; i < TMPFS_RADIX_SLOTS; i++) {
		uint64_t b = base + ((uint64_t)i << shift);

		if (!n->slot[i])
			continue;
		if (h == 1) {
			*found = b;
			return 1;
		}
		if (next_rec(n->slot[i], h - 1, b, from > b ? from : b, found))
			return 1;
	}
	return 0;
}

/* returns 1 and *found = the first index >= @idx with an entry, else 0 */
int tmpfs_radix_next(const struct tmpfs_radix *r, uint64_t idx, uint64_t *found)
{
	if (!r->height || idx >= radix_cap(r->height))
		return 0;
	return next_rec(r->top, r->height, 0, idx, found);
}

static uint64_t trunc_rec(struct tmpfs_radix_node *n, unsigned h, uint64_t base,
			  uint64_t from, void (*free_fn)(void *))
{
	unsigned shift = (h - 1) * TMPFS_RADIX_BITS, i;
	uint64_t removed = 0;

	for (i = 0; i < TMPFS_RADIX_SLOTS; i++) {
		uint64_t b = base + ((uint64_t)i << shift);
		struct tmpfs_radix_node *child = n->slot[i];

		if (!child || b + (1ull << shift) <= from)
			continue;
		if (h == 1) {
			free_fn(child);
			removed++;
		} else {
			removed += trunc_rec(child, h - 1, b, from, free_fn);
			if (child->count)
				continue;
			free(child);
		}
		n->slot[i] = NULL;
		n->count--;
	}
	return removed;
}

uint64_t tmpfs_radix_truncate(struct tmpfs_radix *r, uint64_t from,
			      void (*free_fn)(void *))
{
	uint64_t removed;

	if (!r->height || from >= radix_cap(r->height))
		return 0;
	removed = trunc_rec(r->top, r->height, 0, from, free_fn);
	if (!r->top->count) {
		free(r->top);
		r->top = NULL;
		r->height = 0;
	}
	return removed;
}

/* Reads within i_size; holes read as zeros.  Returns the bytes read. */
ssize_t tmpfs_reg_read(struct tmpfs_inode *ino, void *buf, size_t len,
		       int64_t off)
{
	size_t done = 0;

	if (off >= ino->reg.size)
		return 0;
	if ((uint64_t)len > (uint64_t)(ino->reg.size - off))
		len = (size_t)(ino->reg.size - off);
	while (done < len) {
		uint64_t pos = (uint64_t)off + done;
		size_t in = pos & (TMPFS_PAGE_SIZE - 1);
		size_t n = TMPFS_PAGE_SIZE - in;
		const char *page = tmpfs_radix_lookup(&ino->reg.pages,
						      pos >> TMPFS_PAGE_SHIFT);

		if (n > len - done)
			n = len - done;
		if (page)
			memcpy((char *)buf + done, page + in, n);
		else
			memset((char *)buf + done, 0, n);
		done += n;
	}
	return (ssize_t)done;
}

static char *get_page(struct tmpfs_inode *ino, uint64_t idx, int *err)
{
	char *page = tmpfs_radix_lookup(&ino->reg.pages, idx);

	if (page)
		return page;
	*err = tmpfs_acct_pages(ino->mnt, 1);
	if (*err)
		return NULL;
	page = calloc(1, TMPFS_PAGE_SIZE);
	if (!page || (*err = tmpfs_radix_insert(&ino->reg.pages, idx, page))) {
		free(page);
		tmpfs_unacct_pages(ino->mnt, 1);
		*err = -ENOMEM;
		return NULL;
	}
	ino->reg.npages++;
	return page;
}

/*
 * Writes page by page; when the mount is full part way, returns what was
 * written, and -ENOSPC only if nothing was, as generic_perform_write().
 * The caller has checked @off + @len against the maximum file size.
 */
ssize_t tmpfs_reg_write(struct tmpfs_inode *ino, const void *buf, size_t len,
			int64_t off)
{
	size_t done = 0;
	int err = 0;

	while (done < len) {
		uint64_t pos = (uint64_t)off + done;
		size_t in = pos & (TMPFS_PAGE_SIZE - 1);
		size_t n = TMPFS_PAGE_SIZE - in;
		char *page = get_page(ino, pos >> TMPFS_PAGE_SHIFT, &err);

		if (!page)
			break;
		if (n > len - done)
			n = len - done;
		memcpy(page + in, (const char *)buf + done, n);
		done += n;
	}
	if (done && off + (int64_t)done > ino->reg.size)
		ino->reg.size = off + (int64_t)done;
	return done ? (ssize_t)done : err;
}

/* Sets i_size; shrinking frees whole pages past the end and zeroes the
 * tail of the last one, as shmem_undo_range() does.  Returns 0. */
int tmpfs_reg_truncate(struct tmpfs_inode *ino, int64_t len)
{
	uint64_t first = ((uint64_t)len + TMPFS_PAGE_SIZE - 1) >> TMPFS_PAGE_SHIFT;
	uint64_t freed;
	char *page;

	if (len < ino->reg.size) {
		freed = tmpfs_radix_truncate(&ino->reg.pages, first, free);
		ino->reg.npages -= freed;
		tmpfs_unacct_pages(ino->mnt, freed);
		page = (len & (TMPFS_PAGE_SIZE - 1)) ?
			       tmpfs_radix_lookup(&ino->reg.pages,
						  (uint64_t)len >> TMPFS_PAGE_SHIFT) :
			       NULL;
		if (page)
			memset(page + (len & (TMPFS_PAGE_SIZE - 1)), 0,
			       TMPFS_PAGE_SIZE - (len & (TMPFS_PAGE_SIZE - 1)));
	}
	ino->reg.size = len;
	return 0;
}

/*
 * SEEK_DATA (@hole 0) / SEEK_HOLE (@hole 1) by page, as
 * mapping_seek_hole_data() for shmem: -ENXIO at or past i_size.  The last
 * page of a maximal file ends at 2^63, where the kernel's loff_t
 * arithmetic overflows: SEEK_DATA then finds nothing and SEEK_HOLE
 * returns LLONG_MIN; measured on 6.18 and kept for identical results.
 */
int64_t tmpfs_reg_seek_data(struct tmpfs_inode *ino, int64_t off, int hole)
{
	const uint64_t last = (uint64_t)INT64_MAX >> TMPFS_PAGE_SHIFT;
	uint64_t idx = (uint64_t)off >> TMPFS_PAGE_SHIFT, found;
	int64_t pos;

	if (off < 0 || off >= ino->reg.size)
		return -ENXIO;
	if (!hole) {
		if (!tmpfs_radix_next(&ino->reg.pages, idx, &found) ||
		    found == last)
			return -ENXIO;
		pos = (int64_t)(found << TMPFS_PAGE_SHIFT);
		if (pos >= ino->reg.size)
			return -ENXIO;
		return pos > off ? pos : off;
	}
	while (tmpfs_radix_lookup(&ino->reg.pages, idx)) {
		if (idx == last)
			return INT64_MIN;
		idx++;
	}
	pos = (int64_t)(idx << TMPFS_PAGE_SHIFT);
	pos = pos > off ? pos : off;
	return pos < ino->reg.size ? pos : ino->reg.size;
}

void tmpfs_reg_free(struct tmpfs_inode *ino)
{
	uint64_t freed = tmpfs_radix_truncate(&ino->reg.pages, 0, free);

	tmpfs_unacct_pages(ino->mnt, freed);
	ino->reg.npages = 0;
}

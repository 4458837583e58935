/* SPDX-License-Identifier: MIT */
/*
 * Internal: appending to a kcov area that the guest shares and may scribble on.
 */
#ifndef UKCOV_LIB_AREA_H
#define UKCOV_LIB_AREA_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A writer over area[0 .. size): area[0] is guest memory, so it is read once
 * (ukcov_area_open) and the position kept here; entries are written with
 * exactly Linux's arithmetic (pos = count + 1; store only if pos < size), so
 * a guest that stores garbage into area[0] observes what it would on Linux,
 * and no index ever reaches size.
 */
struct ukcov_area_writer {
	volatile uint64_t *area;
	uint64_t size;
	uint64_t count;   /* what area[0] will hold */
	uint64_t written;
	uint64_t dropped;
	/* Unique mode (counter flush): a block whose bit is set is not reported again. */
	volatile uint64_t *bitmap;
	uint64_t nbits;
};

void ukcov_area_open(struct ukcov_area_writer *w, volatile uint64_t *area, uint64_t size);

static inline void ukcov_area_put(struct ukcov_area_writer *w, uint64_t pc)
{
	uint64_t pos = w->count + 1;

	if (pos >= w->size) {
		w->dropped++;
		return;
	}
	w->area[pos] = pc;
	/* Linux: a count of ~0 wraps pos to 0, and the PC then lands in area[0]. */
	w->count = pos == 0 ? pc : pos;
	w->written++;
}

/*
 * Unique mode: sets the bit of a block's bitmap position and says whether
 * it was clear (the block is new). A position past the bitmap is always new.
 */
static inline bool ukcov_bitmap_test_and_set(volatile uint64_t *bitmap, uint64_t nbits,
					     uint64_t bit)
{
	uint64_t mask = 1ull << (bit % 64);

	if (bit >= nbits)
		return true;
	/* Seen already: the common case once the bitmap saturates costs one load. */
	if (bitmap[bit / 64] & mask)
		return false;
	/* The guest may write its bitmap too: an atomic OR keeps other threads' bits. */
	return !(__atomic_fetch_or(&bitmap[bit / 64], mask, __ATOMIC_RELAXED) & mask);
}

/* Publishes the count after the entries, so a reader that sees it sees them. */
void ukcov_area_close(struct ukcov_area_writer *w);

#endif

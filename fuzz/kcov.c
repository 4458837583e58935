// SPDX-License-Identifier: MIT
/*
 * The fuzz guest's kcov: an ordinary client of /sys/kernel/debug/kcov
 * (<linux/kcov.h>, nothing of ukcov), whose PCs become AFL++'s map.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "afl.h"

int fz_kcov_open(struct fz_kcov *k, size_t words)
{
	k->fd = open("/sys/kernel/debug/kcov", O_RDWR | O_CLOEXEC);
	if (k->fd < 0)
		return -errno;
	if (ioctl(k->fd, KCOV_INIT_TRACE, words) < 0)
		goto fail;
	k->area = mmap(NULL, words * 8, PROT_READ | PROT_WRITE, MAP_SHARED, k->fd, 0);
	if (k->area == MAP_FAILED)
		goto fail;
	k->words = words;
	return 0;
fail:
	close(k->fd);
	k->fd = -1;
	return -errno;
}

void fz_kcov_close(struct fz_kcov *k)
{
	munmap(k->area, k->words * 8);
	close(k->fd);
	k->fd = -1;
}

int fz_kcov_enable(struct fz_kcov *k, int cmp)
{
	if (ioctl(k->fd, KCOV_ENABLE, cmp ? KCOV_TRACE_CMP : KCOV_TRACE_PC) < 0)
		return -errno;
	__atomic_store_n(&k->area[0], 0, __ATOMIC_RELAXED);
	return 0;
}

int fz_kcov_disable(struct fz_kcov *k)
{
	return ioctl(k->fd, KCOV_DISABLE, 0) < 0 ? -errno : 0;
}

/* Synthetic PCs are unique in their low 32 bits; spread them over the map. */
static uint32_t hash_pc(uint64_t pc)
{
	return (uint32_t)(((pc & 0xffffffffu) * 0x9e3779b97f4a7c15ull) >> 32);
}

size_t fz_kcov_feed(const struct fz_kcov *k, unsigned char *map, int edges)
{
	uint64_t n = __atomic_load_n(&k->area[0], __ATOMIC_RELAXED);
	uint32_t prev = 0;

	if (n >= k->words)
		n = k->words - 1;
	for (uint64_t i = 1; i <= n; i++) {
		uint32_t h = hash_pc(k->area[i]);
		uint32_t idx = edges ? (h ^ prev) : h;

		map[idx & (FZ_MAP_SIZE - 1)]++;
		prev = h >> 1;
	}
	return (size_t)n;
}

/*
 * KCOV_TRACE_CMP's records are 4 words: type (KCOV_CMP_CONST, the operand
 * size), the two operands, the PC. CmpLog's sites are its map's rows: a
 * record lands in the row of its PC's hash, at the next of the row's
 * CMP_MAP_H slots. kcov does not say which predicate compared them:
 * equality, what input-to-state replacement looks for, is assumed.
 */
size_t fz_kcov_feed_cmp(const struct fz_kcov *k, struct fz_cmp_map *map)
{
	uint64_t n = __atomic_load_n(&k->area[0], __ATOMIC_RELAXED);

	if (n > (k->words - 1) / 4)
		n = (k->words - 1) / 4;
	for (uint64_t i = 0; i < n; i++) {
		const uint64_t *r = &k->area[1 + i * 4];
		uint32_t row = hash_pc(r[3]) & (FZ_CMP_MAP_W - 1);
		struct fz_cmp_header *h = &map->headers[row];
		unsigned shape = (1u << ((r[0] & KCOV_CMP_MASK) >> 1)) - 1;
		unsigned hits = h->hits;

		if (hits == 0) {
			h->type = FZ_CMP_TYPE_INS;
			h->attribute = FZ_CMP_IS_EQUAL;
			h->id = row;
		}
		if (shape > h->shape)
			h->shape = shape;
		h->hits = hits + 1;
		map->log[row][hits & (FZ_CMP_MAP_H - 1)] = (struct fz_cmp_operands){ r[1], r[2], 0, 0 };
	}
	return (size_t)n;
}

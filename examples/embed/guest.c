// SPDX-License-Identifier: MIT
/*
 * The guests: kcov clients written as on Linux (open, INIT_TRACE, mmap,
 * ENABLE, reset area[0], work, read area[0]), whose syscalls are calls of
 * emu_syscall(). Two kinds of work: the writer writes to the console and
 * stores keys, the reader asks its tid and looks keys up. Both yield after
 * every syscall, so their syscalls interleave.
 */
#include <fcntl.h>
#include <sys/mman.h>

#include <ukcov/kcov_uapi.h>

#include "embed.h"

#define COVER_WORDS 1024 /* one count word and 1023 PCs: 8 KiB, two pages */

struct guest_result guest_results[2];

static long sys(struct guest_result *r, long nr, long a0, long a1, long a2, long a3, long a4,
		long a5)
{
	long ret = emu_syscall(nr, a0, a1, a2, a3, a4, a5);

	if (ret < 0 && ret > -4096 && !r->err)
		r->err = (int)ret;
	return ret;
}

#define SYS0(r, nr) sys(r, nr, 0, 0, 0, 0, 0, 0)
#define SYS1(r, nr, a) sys(r, nr, (long)(a), 0, 0, 0, 0, 0)
#define SYS2(r, nr, a, b) sys(r, nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(r, nr, a, b, c) sys(r, nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* Runs work() with kcov enabled for this task and keeps the PCs it got. */
static void traced(struct guest_result *r, void (*work)(struct guest_result *))
{
	long fd = SYS2(r, SYS_open, UKCOV_KCOV_PATH, O_RDWR);
	volatile uint64_t *cover;
	long addr;

	if (fd < 0 || SYS3(r, SYS_ioctl, fd, UKCOV_KCOV_INIT_TRACE, COVER_WORDS))
		return;
	addr = sys(r, SYS_mmap, 0, COVER_WORDS * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (addr < 0 && addr > -4096)
		return;
	cover = (volatile uint64_t *)addr;
	if (SYS3(r, SYS_ioctl, fd, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC))
		return;
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	work(r);
	r->n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (r->n > COVER_WORDS - 1)
		r->n = COVER_WORDS - 1;
	for (size_t i = 0; i < r->n; i++)
		r->pcs[i] = cover[i + 1];
	SYS3(r, SYS_ioctl, fd, UKCOV_KCOV_DISABLE, 0);
	SYS2(r, SYS_munmap, addr, COVER_WORDS * 8);
	SYS1(r, SYS_close, fd);
}

static void writer_work(struct guest_result *r)
{
	static const char *const words[] = { "hello ", "from ", "the ", "writer\n" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = 0;

		while (words[i][n])
			n++;
		SYS3(r, SYS_write, 1, words[i], n);
		SYS0(r, SYS_yield);
	}
	SYS2(r, SYS_kv_put, "answer", 41);
	SYS0(r, SYS_yield);
	SYS2(r, SYS_kv_put, "answer", 42); /* an update: another path */
	SYS0(r, SYS_yield);
}

static void reader_work(struct guest_result *r)
{
	for (int i = 0; i < 4; i++) {
		SYS0(r, SYS_getpid);
		SYS0(r, SYS_yield);
	}
	emu_syscall(SYS_kv_get, (long)"nothing", 0, 0, 0, 0, 0); /* -ENOENT, expected */
	SYS0(r, SYS_yield);
}

void guest_writer(void)
{
	traced(&guest_results[0], writer_work);
}

void guest_reader(void)
{
	traced(&guest_results[1], reader_work);
}

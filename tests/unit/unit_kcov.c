// SPDX-License-Identifier: MIT
/*
 * The kcov device and the counter-mode flush (lib/kcov.c, lib/flush.c,
 * lib/area.c), driven through the embedding API as an embedder would.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ukcov/ukcov.h>

#include "fixture.h"
#include "unit.h"


static void traced_open(struct traced *t, uint64_t size)
{
	traced_init(t, size);
	EXPECT_EQ(ukcov_kcov_ioctl(t->kcov, t->task, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), 0);
	/* The flush that ends the ENABLE "syscall". */
	ukcov_task_return_to_user(t->task, false);
	t->area[0] = 0;
}


static bool area_has(const struct traced *t, uint64_t pc)
{
	for (uint64_t i = 1; i <= t->area[0] && i < t->size; i++)
		if (t->area[i] == pc)
			return true;
	return false;
}

static void test_flush_reports_and_clears(void)
{
	struct traced t;

	traced_open(&t, 4096);
	fixture_branch(1);
	ukcov_task_return_to_user(t.task, false);
	EXPECT(t.area[0] >= 1, "fixture_branch(1) gave %llu PCs", (unsigned long long)t.area[0]);
	for (uint64_t i = 1; i <= t.area[0]; i++) {
		struct ukcov_block b;

		EXPECT_EQ(ukcov_block_lookup(t.area[i], &b), 0);
	}
	/* Flags were cleared: a syscall that ran nothing reports nothing. */
	t.area[0] = 0;
	ukcov_task_return_to_user(t.task, false);
	EXPECT_EQ(t.area[0], 0);
	traced_close(&t);
}

/* 8-bit counters read 0 after 256 runs; bool flags cannot lose the block. */
static void test_block_run_256_times_is_reported(void)
{
	struct traced t;
	uint64_t once[64], n_once;

	traced_open(&t, 4096);
	fixture_loop(1);
	ukcov_task_return_to_user(t.task, false);
	n_once = t.area[0];
	EXPECT(n_once > 0 && n_once <= 64, "fixture_loop(1) gave %llu PCs", (unsigned long long)n_once);
	if (n_once > 64)
		n_once = 64;
	memcpy(once, (const void *)&t.area[1], n_once * 8);
	t.area[0] = 0;
	fixture_loop(256);
	ukcov_task_return_to_user(t.task, false);
	for (uint64_t i = 0; i < n_once; i++)
		EXPECT(area_has(&t, once[i]), "block %#llx of the loop lost after 256 runs",
		       (unsigned long long)once[i]);
	traced_close(&t);
}

static void test_full_scan_equals_entry_skip(void)
{
	struct traced t;
	uint64_t skip_n;

	traced_open(&t, 4096);
	fixture_many(0xfff);
	ukcov_task_return_to_user(t.task, false);
	skip_n = t.area[0];
	t.area[0] = 0;
	fixture_many(0xfff);
	ukcov_task_return_to_user(t.task, true);
	EXPECT_EQ(t.area[0], skip_n);
	EXPECT(skip_n >= 13, "fixture_many(0xfff) gave %llu PCs", (unsigned long long)skip_n);
	traced_close(&t);
}

/* The count saturates at size - 1, and nothing past the area is written. */
static void test_saturation_and_bounds(void)
{
	struct traced t;
	uint64_t *page;

	traced_open(&t, 512);
	page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ukcov_kcov_fd(t.kcov), 0);
	for (int i = 0; i < 200; i++) {
		fixture_many(i);
		fixture_loop(i);
		ukcov_task_return_to_user(t.task, false);
	}
	EXPECT_EQ(t.area[0], 511);
	munmap(page, 4096);
	traced_close(&t);

	traced_open(&t, 4); /* 32 bytes: the rest of the page must stay zero */
	page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ukcov_kcov_fd(t.kcov), 0);
	fixture_many(0xfff);
	ukcov_task_return_to_user(t.task, false);
	EXPECT_EQ(t.area[0], 3);
	for (int i = 4; i < 512; i++)
		EXPECT(page[i] == 0, "word %d past the area written", i);
	munmap(page, 4096);
	traced_close(&t);
}

/* area[0] is the guest's: whatever it holds, the writer follows Linux's arithmetic in bounds. */
static void test_corrupted_count(void)
{
	static const uint64_t bad[] = { 4096, 4097, 0x7fffffffffffffffull, 0xffffffffull << 20 };
	struct traced t;

	traced_open(&t, 4096);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t.area[0] = bad[i];
		t.area[1] = 0;
		fixture_branch(-1);
		ukcov_task_return_to_user(t.task, false);
		EXPECT_EQ(t.area[0], bad[i]);
		EXPECT_EQ(t.area[1], 0);
	}
	/* ~0 wraps to position 0 as in Linux: area[0] receives the first PC, then the rest drop. */
	t.area[0] = ~0ull;
	fixture_branch(-1);
	ukcov_task_return_to_user(t.task, false);
	EXPECT(ukcov_block_lookup(t.area[0], &(struct ukcov_block){ 0 }) == 0,
	       "area[0] = %#llx, expected a PC", (unsigned long long)t.area[0]);
	traced_close(&t);
}

/* Coverage goes to the task it was gathered for, never to another. */
static void test_per_task_attribution(void)
{
	struct traced a, b;

	traced_open(&a, 4096);
	traced_open(&b, 4096);
	a.area[0] = b.area[0] = 0;
	fixture_branch(1);
	ukcov_task_return_to_user(a.task, false);
	fixture_loop(3);
	ukcov_task_return_to_user(b.task, false);
	EXPECT(a.area[0] > 0 && b.area[0] > 0, "a=%llu b=%llu", (unsigned long long)a.area[0],
	       (unsigned long long)b.area[0]);
	for (uint64_t i = 1; i <= a.area[0]; i++)
		EXPECT(!area_has(&b, a.area[i]), "B got A's block %#llx", (unsigned long long)a.area[i]);
	traced_close(&a);
	traced_close(&b);
}

/* Coverage gathered while nobody traced must not reach a task that enables later. */
static void test_enable_discards_stale_flags(void)
{
	struct ukcov_task *other = ukcov_task_new();
	struct traced t;

	fixture_many(0xfff);
	ukcov_task_return_to_user(other, false); /* nobody traces: flush skipped */
	traced_open(&t, 4096);
	t.area[0] = 0;
	fixture_branch(1);
	ukcov_task_return_to_user(t.task, false);
	EXPECT(t.area[0] > 0 && t.area[0] <= 4, "got %llu PCs, fixture_many leaked in?",
	       (unsigned long long)t.area[0]);
	traced_close(&t);
	ukcov_task_exit(other);
}

/* Work done for no task (a tracer's housekeeping) is dropped, not charged to the next task. */
static void test_discard_drops_work_for_nobody(void)
{
	struct traced t;

	traced_open(&t, 4096);
	fixture_many(0xfff);
	ukcov_discard(false);
	fixture_branch(1);
	ukcov_task_return_to_user(t.task, false);
	EXPECT(t.area[0] > 0 && t.area[0] <= 4, "got %llu PCs, fixture_many leaked in?",
	       (unsigned long long)t.area[0]);
	/* Nothing ran since: a discard then a flush gives nothing, and the flags stay clear. */
	t.area[0] = 0;
	fixture_many(0xfff);
	ukcov_discard(true);
	ukcov_task_return_to_user(t.task, true);
	EXPECT_EQ(t.area[0], 0);
	traced_close(&t);
}

static void test_filter_selects_blocks(void)
{
	size_t n = ukcov_block_count();
	bool *mask = calloc(n, 1);
	struct ukcov_block first;
	struct traced t;

	/* Select only the first function (fixture_branch, first in the file). */
	ukcov_block_at(0, &first);
	for (size_t i = 0; i < n; i++) {
		struct ukcov_block b;

		ukcov_block_at(i, &b);
		mask[i] = b.function == first.function;
	}
	EXPECT_EQ(ukcov_set_block_filter(mask), 0);
	traced_open(&t, 4096);
	fixture_many(0xfff);
	fixture_branch(1);
	ukcov_task_return_to_user(t.task, false);
	EXPECT(t.area[0] > 0, "nothing reported");
	for (uint64_t i = 1; i <= t.area[0]; i++) {
		struct ukcov_block b;

		ukcov_block_lookup(t.area[i], &b);
		EXPECT(b.function == first.function, "filtered-out block %#llx reported",
		       (unsigned long long)t.area[i]);
	}
	traced_close(&t);
	EXPECT_EQ(ukcov_set_block_filter(NULL), 0);
	free(mask);
}

/* The device's errors, case by case, in Linux's check order (kernel/kcov.c). */
static void test_ioctl_errors(void)
{
	struct ukcov_task *a = ukcov_task_new(), *b = ukcov_task_new();
	struct ukcov_kcov *k, *k2;

	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k), 0);
	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k2), 0);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4096, PROT_READ, MAP_SHARED, 0), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_ENABLE, 0, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_INIT_TRACE, 1, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_INIT_TRACE, 0x7fffffff / 8 + 1, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_INIT_TRACE, 512, NULL), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_INIT_TRACE, 512, NULL), -EBUSY);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_INIT_TRACE, 1, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, 0), 0);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4000, PROT_READ, MAP_SHARED, 0), 0); /* page-rounded */
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 8192, PROT_READ, MAP_SHARED, 0), -EINVAL);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4096, PROT_READ, MAP_SHARED, 4096), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_ENABLE, 2, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_CMP, NULL), -UKCOV_ENOTSUPP);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_DISABLE, 0, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, b, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, b, UKCOV_KCOV_DISABLE, 0, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_DISABLE, 1, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k2, a, UKCOV_KCOV_INIT_TRACE, 512, NULL), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k2, a, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), -EBUSY);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, 0x1234, 0, NULL), -ENOTTY);
	/* No guest memory: the argument cannot be read. */
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_REMOTE_ENABLE, 0, NULL), -EFAULT);
	/* Thread exit disables; another thread may then enable. */
	ukcov_task_exit(a);
	EXPECT_EQ(ukcov_kcov_ioctl(k, b, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, b, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	ukcov_task_exit(b);
	ukcov_kcov_close(k);
	ukcov_kcov_close(k2);
}

static void test_open_modes(void)
{
	struct ukcov_kcov *k;
	struct ukcov_task *a = ukcov_task_new();

	EXPECT_EQ(ukcov_kcov_open(O_RDONLY, &k), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, a, UKCOV_KCOV_INIT_TRACE, 512, NULL), 0);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, 0), -EACCES);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4096, PROT_READ, MAP_SHARED, 0), 0);
	EXPECT_EQ(ukcov_kcov_mmap_check(k, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0), 0);
	ukcov_kcov_close(k);
	ukcov_task_exit(a);
}

/* Unique mode in counter mode: each block once across flushes, until RESET_TRACE. */
static void test_unique_and_reset(void)
{
	struct ukcov_task *task = ukcov_task_new();
	struct ukcov_kcov *k;
	volatile uint64_t *area;
	uint64_t n;

	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_INIT_TRACE, 512, NULL), 0);
	area = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_RESET_TRACE, 0, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_UNIQUE_ENABLE, 511, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_UNIQUE_ENABLE, 2, NULL), 0);
	ukcov_task_return_to_user(task, false);
	area[2] = 0;
	for (int i = 0; i < 1000; i++) {
		fixture_loop(i % 5);
		ukcov_task_return_to_user(task, false);
	}
	n = area[2];
	EXPECT(n >= 2 && n < 10, "unique: %llu PCs", (unsigned long long)n);
	fixture_loop(3);
	ukcov_task_return_to_user(task, false);
	EXPECT_EQ(area[2], n);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_RESET_TRACE, 0, NULL), 0);
	EXPECT_EQ(area[0], 0);
	EXPECT_EQ(area[2], 0);
	fixture_loop(3);
	ukcov_task_return_to_user(task, false);
	EXPECT(area[2] >= 2, "after reset: %llu PCs", (unsigned long long)area[2]);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	munmap((void *)area, 4096);
	ukcov_task_exit(task);
	ukcov_kcov_close(k);
}

static int mem_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	(void)ctx;
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

/* Remote sections work in counter mode when serialized, as the supervisor runs them. */
static void test_remote_serialized(void)
{
	const struct ukcov_guest_mem mem = { mem_read, NULL };
	struct ukcov_kcov_remote_arg ra = { .trace_mode = UKCOV_KCOV_TRACE_PC, .area_size = 64,
					    .common_handle = UKCOV_KCOV_SUBSYSTEM_COMMON | 5 };
	struct traced other;
	struct ukcov_task *task = ukcov_task_new();
	struct ukcov_kcov *k;
	volatile uint64_t *area;

	traced_open(&other, 4096); /* someone traces: flushes are not skipped */
	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_INIT_TRACE, 512, NULL), 0);
	area = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	ra.trace_mode = UKCOV_KCOV_TRACE_CMP;
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), -UKCOV_ENOTSUPP);
	ra.trace_mode = UKCOV_KCOV_TRACE_PC;
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), 0);
	ukcov_task_return_to_user(task, false);
	area[0] = 0;
	fixture_branch(1);
	ukcov_task_return_to_user(task, false);
	EXPECT_EQ(area[0], 0); /* its own syscalls are not traced */
	fixture_loop(2); /* nobody's: dropped at start */
	ukcov_remote_start(UKCOV_KCOV_SUBSYSTEM_COMMON | 5);
	fixture_branch(1);
	ukcov_remote_stop();
	EXPECT(area[0] >= 1 && area[0] <= 4, "remote section gave %llu PCs", (unsigned long long)area[0]);
	EXPECT_EQ(other.area[0], 0);
	EXPECT_EQ(ukcov_kcov_ioctl(k, task, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	munmap((void *)area, 4096);
	ukcov_task_exit(task);
	ukcov_kcov_close(k);
	traced_close(&other);
}

int main(void)
{
	UNIT_RUN(test_unique_and_reset);
	UNIT_RUN(test_remote_serialized);
	UNIT_RUN(test_ioctl_errors);
	UNIT_RUN(test_open_modes);
	UNIT_RUN(test_flush_reports_and_clears);
	UNIT_RUN(test_block_run_256_times_is_reported);
	UNIT_RUN(test_full_scan_equals_entry_skip);
	UNIT_RUN(test_saturation_and_bounds);
	UNIT_RUN(test_corrupted_count);
	UNIT_RUN(test_per_task_attribution);
	UNIT_RUN(test_enable_discards_stale_flags);
	UNIT_RUN(test_filter_selects_blocks);
	UNIT_RUN(test_discard_drops_work_for_nobody);
	UNIT_EXIT();
}

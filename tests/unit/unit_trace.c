// SPDX-License-Identifier: MIT
/*
 * Trace mode (lib/trace.c, lib/kcov.c): libukcov linked with a module built
 * with -fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp, driven as an
 * embedder with several kernel threads drives it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ukcov/ukcov.h>

#include "fixture_trace.h"
#include "unit.h"



static void traced_open(struct traced *t, uint64_t size, unsigned long mode)
{
	traced_init(t, size);
	EXPECT_EQ(ukcov_kcov_ioctl(t->kcov, t->task, UKCOV_KCOV_ENABLE, mode, NULL), 0);
	t->area[0] = 0;
}


/* One "syscall" of task t running fn(arg) on this kernel thread. */
#define SYSCALL(t, call)                               \
	do {                                           \
		ukcov_task_enter((t)->task);           \
		call;                                  \
		ukcov_task_return_to_user((t)->task, false); \
	} while (0)

static bool is_pc(uint64_t pc)
{
	struct ukcov_block b;

	return ukcov_block_lookup(pc, &b) == 0;
}

static void test_trace_is_ordered_with_duplicates(void)
{
	struct traced t;
	uint64_t n1, n2;

	traced_open(&t, 4096, UKCOV_KCOV_TRACE_PC);
	SYSCALL(&t, fixture_b(1));
	n1 = t.area[0];
	EXPECT(n1 >= 2, "fixture_b(1) gave %llu PCs", (unsigned long long)n1);
	SYSCALL(&t, fixture_b(1));
	n2 = t.area[0];
	/* The same call twice: the same sequence again, appended. */
	EXPECT_EQ(n2, 2 * n1);
	for (uint64_t i = 1; i <= n1; i++) {
		EXPECT(is_pc(t.area[i]), "area[%llu] = %#llx", (unsigned long long)i,
		       (unsigned long long)t.area[i]);
		EXPECT_EQ(t.area[i], t.area[n1 + i]);
	}
	/* A loop repeats its blocks: more PCs than distinct blocks. */
	t.area[0] = 0;
	SYSCALL(&t, fixture_path(10));
	EXPECT(t.area[0] >= 10, "fixture_path(10) gave %llu PCs", (unsigned long long)t.area[0]);
	/* Work outside enter/return is nobody's. */
	t.area[0] = 0;
	fixture_path(10);
	EXPECT_EQ(t.area[0], 0);
	traced_close(&t);
}

static void test_trace_bounds_and_hostile_count(void)
{
	struct traced t;
	uint64_t *page;

	traced_open(&t, 4, UKCOV_KCOV_TRACE_PC);
	page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ukcov_kcov_fd(t.kcov), 0);
	SYSCALL(&t, fixture_path(50));
	EXPECT_EQ(t.area[0], 3);
	for (int i = 4; i < 512; i++)
		EXPECT(page[i] == 0, "word %d past the area written", i);
	t.area[0] = 0x7fffffffffffffffull;
	SYSCALL(&t, fixture_path(5));
	EXPECT_EQ(t.area[0], 0x7fffffffffffffffull);
	munmap(page, 4096);
	traced_close(&t);
}

static const uint64_t *find_record(const volatile uint64_t *area, uint64_t type, uint64_t arg1)
{
	uint64_t n = area[0];

	for (uint64_t i = 0; i < n; i++) {
		const uint64_t *r = (const uint64_t *)&area[1 + 4 * i];

		if (r[0] == type && r[1] == arg1)
			return r;
	}
	return NULL;
}

static void test_cmp_records(void)
{
	struct traced t;
	const uint64_t *r;

	traced_open(&t, 4096, UKCOV_KCOV_TRACE_CMP);
	SYSCALL(&t, fixture_cmp(1234));
	/* x == 0xfeedbeef: a 4-byte const comparison, the constant in arg1. */
	r = find_record(t.area, UKCOV_KCOV_CMP_SIZE(2) | UKCOV_KCOV_CMP_CONST, 0xfeedbeef);
	EXPECT(r != NULL, "no const cmp4 record among %llu", (unsigned long long)t.area[0]);
	if (r) {
		EXPECT_EQ(r[2], 1234);
		EXPECT(is_pc(r[3]), "ip %#llx is not a block's PC", (unsigned long long)r[3]);
	}
	/* A switch: one record per case value, {CONST | SIZE(3), case, val, ip}. */
	t.area[0] = 0;
	SYSCALL(&t, fixture_switch(7));
	for (uint64_t c = 0; c < 3; c++) {
		static const uint64_t cases[] = { 11, 222, 3333 };

		r = find_record(t.area, UKCOV_KCOV_CMP_SIZE(3) | UKCOV_KCOV_CMP_CONST, cases[c]);
		EXPECT(r != NULL, "no switch record for case %llu", (unsigned long long)cases[c]);
		if (r)
			EXPECT_EQ(r[2], 7);
	}
	/* PC mode hooks stay silent in CMP mode and the other way round. */
	for (uint64_t i = 0; i < t.area[0]; i++)
		EXPECT(t.area[1 + 4 * i] <= 7, "record %llu type %#llx", (unsigned long long)i,
		       (unsigned long long)t.area[1 + 4 * i]);
	traced_close(&t);

	/* A full area: whole records only, nothing past it. */
	traced_open(&t, 11, UKCOV_KCOV_TRACE_CMP); /* room for 2 records and 2 spare words */
	for (int i = 0; i < 10; i++)
		SYSCALL(&t, fixture_cmp((uint32_t)i));
	EXPECT_EQ(t.area[0], 2);
	EXPECT_EQ(t.area[9], 0);
	EXPECT_EQ(t.area[10], 0);
	traced_close(&t);
}

static void test_unique_saturates_and_reset(void)
{
	struct traced t;
	uint64_t bw = 4, n;
	uint64_t bits_before[4];

	traced_init(&t, 1024);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_UNIQUE_ENABLE, 0, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_UNIQUE_ENABLE, 1023, NULL), -EINVAL);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_UNIQUE_ENABLE, bw, NULL), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_UNIQUE_ENABLE, bw, NULL), -EINVAL);
	for (int i = 0; i < 1000; i++)
		SYSCALL(&t, fixture_path(i % 7));
	n = t.area[bw];
	EXPECT(n >= 2 && n < 20, "unique trace after 1000 calls: %llu PCs", (unsigned long long)n);
	memcpy(bits_before, (const void *)t.area, sizeof(bits_before));
	SYSCALL(&t, fixture_path(3));
	EXPECT_EQ(t.area[bw], n);
	/* RESET_TRACE: wrong argument, then the bitmap and the count cleared. */
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_RESET_TRACE, 1, NULL), -EINVAL);
	ukcov_task_enter(t.task);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_RESET_TRACE, 0, NULL), 0);
	ukcov_task_return_to_user(t.task, false);
	EXPECT_EQ(t.area[bw], 0);
	SYSCALL(&t, fixture_path(3));
	EXPECT(t.area[bw] >= 2, "after reset: %llu PCs", (unsigned long long)t.area[bw]);
	/* Positions are kept for good: the same blocks set the same bits again. */
	for (uint64_t w = 0; w < bw; w++)
		EXPECT_EQ(t.area[w] & ~bits_before[w], 0);
	traced_close(&t);
}

/* A block whose bitmap position is past the bitmap goes to the trace every time. */
static void test_unique_past_the_bitmap(void)
{
	struct traced t;
	uint64_t n1, n2;

	traced_init(&t, 4096);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_UNIQUE_ENABLE, 1, NULL), 0);
	ukcov_task_enter(t.task);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_RESET_TRACE, 0, NULL), 0);
	ukcov_task_return_to_user(t.task, false);
	t.area[1] = 0;
	SYSCALL(&t, fixture_wide(1000));
	n1 = t.area[1];
	EXPECT(n1 > 64, "fixture_wide: %llu PCs", (unsigned long long)n1);
	SYSCALL(&t, fixture_wide(1000));
	n2 = t.area[1] - n1;
	/* Only the blocks past the 64 bits come again, and they did the first time too. */
	EXPECT(n2 > 0 && n2 < n1, "second run added %llu of %llu", (unsigned long long)n2,
	       (unsigned long long)n1);
	for (uint64_t i = 0; i < n2; i++) {
		bool seen = false;

		for (uint64_t j = 0; j < n1; j++)
			seen |= t.area[2 + j] == t.area[2 + n1 + i];
		EXPECT(seen, "PC %#llx new in the second run", (unsigned long long)t.area[2 + n1 + i]);
	}
	traced_close(&t);
}

static int mem_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	(void)ctx;
	if (addr < 4096) /* the null page, as the guest's would fault */
		return -EFAULT;
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

/* struct kcov_remote_arg with room for two handles. */
struct remote_arg2 {
	uint32_t trace_mode, area_size, num_handles;
	uint64_t common_handle __attribute__((aligned(8)));
	uint64_t h[2];
};

static void *remote_worker(void *arg)
{
	uint64_t handle = *(uint64_t *)arg;

	ukcov_remote_start(handle);
	fixture_path(4);
	ukcov_remote_stop();
	return NULL;
}

static void run_remote(uint64_t handle)
{
	pthread_t th;

	pthread_create(&th, NULL, remote_worker, &handle);
	pthread_join(th, NULL);
}

static void test_remote(void)
{
	const struct ukcov_guest_mem mem = { mem_read, NULL };
	const uint64_t common = UKCOV_KCOV_SUBSYSTEM_COMMON | 42;
	struct remote_arg2 ra = { .trace_mode = UKCOV_KCOV_TRACE_PC, .area_size = 256 };
	struct traced t, u;
	uint64_t n;

	traced_init(&t, 1024);
	traced_init(&u, 1024);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, 0, &mem), -EFAULT);
	ra.num_handles = 0x101;
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), -EINVAL);
	ra.num_handles = 1;
	ra.h[0] = UKCOV_KCOV_SUBSYSTEM_COMMON | 1; /* handles[] must be USB */
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), -EINVAL);
	ra.h[0] = UKCOV_KCOV_SUBSYSTEM_USB | (1ull << 40); /* bytes 4..6 set */
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), -EINVAL);
	ra.h[0] = UKCOV_KCOV_SUBSYSTEM_USB | 7;
	ra.common_handle = UKCOV_KCOV_SUBSYSTEM_USB | 8; /* the common handle must be COMMON */
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), -EINVAL);
	ra.common_handle = common;
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), 0);
	EXPECT_EQ(ukcov_task_common_handle(t.task), common);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_ENABLE, 0, NULL), -EINVAL);
	/* Another kcov may not take a handle this one holds. */
	EXPECT_EQ(ukcov_kcov_ioctl(u.kcov, u.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), -EEXIST);
	EXPECT_EQ(ukcov_kcov_ioctl(u.kcov, u.task, UKCOV_KCOV_ENABLE, 0, NULL), 0);
	/* The owner's own syscalls are not traced. */
	t.area[0] = 0;
	SYSCALL(&t, fixture_path(3));
	EXPECT_EQ(t.area[0], 0);
	/* A section on another kernel thread lands in the owner's area, in one piece. */
	run_remote(common);
	n = t.area[0];
	EXPECT(n >= 4, "remote section gave %llu PCs", (unsigned long long)n);
	for (uint64_t i = 1; i <= n && i < t.size; i++)
		EXPECT(is_pc(t.area[i]), "area[%llu]", (unsigned long long)i);
	run_remote(UKCOV_KCOV_SUBSYSTEM_USB | 7);
	EXPECT_EQ(t.area[0], 2 * n);
	/* Unknown handle: nobody gets it. */
	run_remote(UKCOV_KCOV_SUBSYSTEM_COMMON | 43);
	EXPECT_EQ(t.area[0], 2 * n);
	/* A child created afterwards inherits the common handle. */
	{
		struct ukcov_task *child = ukcov_task_new();

		ukcov_task_inherit(child, t.task);
		EXPECT_EQ(ukcov_task_common_handle(child), common);
		ukcov_task_exit(child);
	}
	/* Disabled: sections are dropped, and the handle is free again. */
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	EXPECT_EQ(ukcov_task_common_handle(t.task), 0);
	t.area[0] = 0;
	run_remote(common);
	EXPECT_EQ(t.area[0], 0);
	/* The empty probe succeeds. */
	memset(&ra, 0, sizeof(ra));
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	traced_close(&t);
	traced_close(&u);
}

/* A section that starts, then the owner disables, then it stops: dropped. */
static void test_remote_dropped_after_disable(void)
{
	const struct ukcov_guest_mem mem = { mem_read, NULL };
	const uint64_t common = UKCOV_KCOV_SUBSYSTEM_COMMON | 77;
	struct ukcov_kcov_remote_arg ra = { .trace_mode = 0, .area_size = 64, .common_handle = common };
	struct traced t;

	traced_init(&t, 1024);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem), 0);
	t.area[0] = 0;
	ukcov_remote_start(common);
	fixture_path(3);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	ukcov_remote_stop();
	EXPECT_EQ(t.area[0], 0);
	traced_close(&t);
}

/* Sections on one kernel thread while the owner enables and disables on another. */
static int storm_stop;

static void *section_storm(void *arg)
{
	uint64_t handle = *(uint64_t *)arg;

	while (!__atomic_load_n(&storm_stop, __ATOMIC_RELAXED)) {
		ukcov_remote_start(handle);
		fixture_path(3);
		ukcov_remote_stop();
	}
	return NULL;
}

static void test_remote_concurrent_disable(void)
{
	const struct ukcov_guest_mem mem = { mem_read, NULL };
	uint64_t common = UKCOV_KCOV_SUBSYSTEM_COMMON | 99;
	struct ukcov_kcov_remote_arg ra = { .trace_mode = 0, .area_size = 64, .common_handle = common };
	struct traced t;
	pthread_t th;
	int ok = 0;

	traced_init(&t, 512);
	pthread_create(&th, NULL, section_storm, &common);
	for (int i = 0; i < 3000; i++) {
		ok += ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_REMOTE_ENABLE, (uintptr_t)&ra, &mem) == 0;
		if (i % 7 == 0)
			t.area[0] = 0;
		EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_DISABLE, 0, NULL), 0);
	}
	__atomic_store_n(&storm_stop, 1, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	EXPECT_EQ(ok, 3000);
	EXPECT(t.area[0] < t.size, "count %llu", (unsigned long long)t.area[0]);
	traced_close(&t);
}

/* Two kernel threads serving two tasks at once: each area gets only its own work. */
struct worker {
	struct traced *t;
	int which;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 20000; i++) {
		ukcov_task_enter(w->t->task);
		if (w->which)
			fixture_b(1);
		else
			fixture_a();
		ukcov_task_return_to_user(w->t->task, false);
		if (w->t->area[0] > w->t->size - 16)
			w->t->area[0] = 0;
	}
	return NULL;
}

static void test_two_kernel_threads(void)
{
	struct traced a, b, ref;
	struct worker wa = { &a, 0 }, wb = { &b, 1 };
	pthread_t ta, tb;
	uint64_t pcs_a[8], na;

	/* The PCs fixture_a reports, measured alone. */
	traced_open(&ref, 64, UKCOV_KCOV_TRACE_PC);
	SYSCALL(&ref, fixture_a());
	na = ref.area[0];
	EXPECT(na >= 1 && na <= 8, "fixture_a gave %llu PCs", (unsigned long long)na);
	memcpy(pcs_a, (const void *)&ref.area[1], na * 8);
	traced_close(&ref);

	traced_open(&a, 4096, UKCOV_KCOV_TRACE_PC);
	traced_open(&b, 4096, UKCOV_KCOV_TRACE_PC);
	pthread_create(&ta, NULL, worker_main, &wa);
	pthread_create(&tb, NULL, worker_main, &wb);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	EXPECT(a.area[0] > 0 && b.area[0] > 0, "a=%llu b=%llu", (unsigned long long)a.area[0],
	       (unsigned long long)b.area[0]);
	for (uint64_t i = 1; i <= a.area[0]; i++) {
		bool mine = false;

		for (uint64_t j = 0; j < na; j++)
			mine |= a.area[i] == pcs_a[j];
		EXPECT(mine, "A's area holds %#llx, not fixture_a's", (unsigned long long)a.area[i]);
	}
	for (uint64_t i = 1; i <= b.area[0]; i++)
		for (uint64_t j = 0; j < na; j++)
			EXPECT(b.area[i] != pcs_a[j], "B got A's PC %#llx", (unsigned long long)pcs_a[j]);
	traced_close(&a);
	traced_close(&b);
}

int main(void)
{
	UNIT_RUN(test_trace_is_ordered_with_duplicates);
	UNIT_RUN(test_trace_bounds_and_hostile_count);
	UNIT_RUN(test_cmp_records);
	UNIT_RUN(test_unique_saturates_and_reset);
	UNIT_RUN(test_unique_past_the_bitmap);
	UNIT_RUN(test_remote);
	UNIT_RUN(test_remote_dropped_after_disable);
	UNIT_RUN(test_remote_concurrent_disable);
	UNIT_RUN(test_two_kernel_threads);
	UNIT_EXIT();
}

/* SPDX-License-Identifier: MIT */
/* Minimal assertions for unit tests: exit 0 pass, 1 fail. */
#ifndef UKCOV_TEST_UNIT_H
#define UKCOV_TEST_UNIT_H
#include <stdio.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <ukcov/ukcov.h>

static int unit_failures;

#define EXPECT(cond, ...)                                                             \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                 \
			fputc('\n', stderr);                                          \
			unit_failures++;                                              \
		}                                                                     \
	} while (0)

#define EXPECT_EQ(a, b)                                                                   \
	EXPECT((long long)(a) == (long long)(b), "%s = %lld, expected %s = %lld", #a,      \
	       (long long)(a), #b, (long long)(b))

#define UNIT_RUN(fn)                                      \
	do {                                              \
		int before = unit_failures;               \
		fn();                                     \
		printf("%s %s\n", unit_failures == before ? "ok  " : "FAIL", #fn); \
	} while (0)

#define UNIT_EXIT() return unit_failures ? 1 : 0

/*
 * A kcov of the library's own, as a guest would use it: a task, an open
 * kcov with an area of `size` words, mapped (not yet enabled).
 */
struct traced {
	struct ukcov_kcov *kcov;
	struct ukcov_task *task;
	volatile uint64_t *area;
	uint64_t size;
};

static inline void traced_init(struct traced *t, uint64_t size)
{
	t->size = size;
	t->task = ukcov_task_new();
	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &t->kcov), 0);
	EXPECT_EQ(ukcov_kcov_ioctl(t->kcov, t->task, UKCOV_KCOV_INIT_TRACE, size, NULL), 0);
	t->area = mmap(NULL, size * 8, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(t->kcov), 0);
	EXPECT(t->area != MAP_FAILED, "mmap of the area");
}

static inline void traced_close(struct traced *t)
{
	munmap((void *)t->area, t->size * 8);
	ukcov_task_exit(t->task);
	ukcov_kcov_close(t->kcov);
}

#endif

/* SPDX-License-Identifier: MIT */
/* Minimal assertions for unit tests: exit 0 pass, 1 fail. */
#ifndef UKCOV_TEST_UNIT_H
#define UKCOV_TEST_UNIT_H
#include <stdio.h>
#include <stdlib.h>

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
#endif

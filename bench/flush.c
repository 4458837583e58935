/*
 * The counter-mode flush, timed in one process: a fraction of 2048
 * functions runs, then one flush reports and clears their flags into a kcov
 * area. Compares the entry-skipping scan with the full scan, and both with a
 * plain byte loop over the same flags (the baseline any scan must beat).
 * Prints "name ns" lines; bench/run.sh turns them into ratios.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <ukcov/ukcov.h>

#include "bench.h"

typedef int (*bench_fn)(int);
extern const bench_fn bench_fns[];
extern const unsigned int bench_nfns;

static void run_fraction(unsigned int every)
{
	for (unsigned int i = 0; i < bench_nfns; i += every)
		bench_fns[i]((int)i | 7);
}

/* Median over rounds of one flush after running every `every`-th function. */
static double time_flush(struct ukcov_task *t, volatile uint64_t *area, unsigned int every, bool full)
{
	double r[31], tmp;

	for (int k = 0; k < 31; k++) {
		double t0;

		run_fraction(every);
		area[0] = 0;
		t0 = now_ns();
		ukcov_task_return_to_user(t, full);
		r[k] = now_ns() - t0;
	}
	for (int i = 0; i < 31; i++)
		for (int j = i + 1; j < 31; j++)
			if (r[j] < r[i])
				tmp = r[i], r[i] = r[j], r[j] = tmp;
	return r[15];
}

/* The baseline: one byte at a time over a flag array of the same size, 1 in `every` set. */
static double time_byte_loop(size_t nflags, unsigned int every)
{
	volatile uint8_t *flags = calloc(nflags, 1);
	uint64_t *out = calloc(nflags, 8), n = 0;
	double best = 1e18;

	for (int k = 0; k < 31; k++) {
		double t0;

		for (size_t i = 0; i < nflags; i += (size_t)every * 8)
			flags[i] = 1;
		t0 = now_ns();
		for (size_t i = 0; i < nflags; i++)
			if (flags[i]) {
				flags[i] = 0;
				out[n++ % nflags] = 0xffffffff81000000ull + 4 * i;
			}
		if (now_ns() - t0 < best)
			best = now_ns() - t0;
	}
	free((void *)flags);
	free(out);
	return best;
}

int main(void)
{
	struct ukcov_task *t = ukcov_task_new();
	struct ukcov_kcov *k;
	volatile uint64_t *area;
	const unsigned int everies[] = { 100, 10, 1 };

	if (ukcov_kcov_open(O_RDWR, &k) || ukcov_kcov_ioctl(k, t, UKCOV_KCOV_INIT_TRACE, 1 << 20, NULL))
		return 1;
	area = mmap(NULL, 8u << 20, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	if (area == MAP_FAILED || ukcov_kcov_ioctl(k, t, UKCOV_KCOV_ENABLE, 0, NULL))
		return 1;
	ukcov_task_return_to_user(t, false);
	printf("blocks %zu\nfunctions %zu\n", ukcov_block_count(), ukcov_function_count());
	for (size_t i = 0; i < sizeof(everies) / sizeof(everies[0]); i++) {
		unsigned int e = everies[i];

		printf("skip-1/%u %.0f\n", e, time_flush(t, area, e, false));
		printf("full-1/%u %.0f\n", e, time_flush(t, area, e, true));
		printf("bytes-1/%u %.0f\n", e, time_byte_loop(ukcov_block_count(), e));
	}
	return 0;
}

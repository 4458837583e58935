/* Timing for the benchmark programs: monotonic ns and the median of rounds. */
#ifndef UKCOV_BENCH_H
#define UKCOV_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ns per call of fn over `rounds` rounds of n calls (rounds <= 64): the fastest round and the median. */
static inline double rounds_ns(int rounds, long n, void (*fn)(void), double *min)
{
	double r[64];

	for (int i = 0; i < rounds; i++) {
		double t = now_ns();

		for (long j = 0; j < n; j++)
			fn();
		r[i] = (now_ns() - t) / n;
	}
	qsort(r, (size_t)rounds, sizeof(r[0]), bench_cmp);
	if (min)
		*min = r[0];
	return r[rounds / 2];
}

static inline double median_ns(int rounds, long n, void (*fn)(void))
{
	return rounds_ns(rounds, n, fn, NULL);
}

#endif

// SPDX-License-Identifier: MIT
/*
 * --stability=N: what AFL++'s "stability" measures, without AFL++. AFL++
 * runs each new input several times (calibration) and counts the map bytes
 * whose bucketed hit counts differ between the runs (var_bytes); a map byte
 * that varies makes every later input that touches it look new or not by
 * chance. Here each input runs N times, round robin with the others, in
 * one persistent forkserver child (as under afl-fuzz), every execution's
 * kcov area is kept, and the map bytes that vary between the runs of one
 * input are printed with the PCs behind them and their counts per run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "afl.h"
#include "stability.h"

/* PCs kept per execution: the area's first ones (a 48-operation input: ~6,000) */
#define STAB_PCS (1u << 16)

static uint64_t *kept; /* [execution][STAB_PCS]: word 0 the count, then the PCs */
static int nexec;
static int *next; /* the next execution's number, shared by the children */

int stab_init(int executions)
{
	size_t bytes = (size_t)executions * STAB_PCS * sizeof(uint64_t) + 4096;
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	next = p;
	kept = (uint64_t *)((char *)p + 4096);
	nexec = executions;
	return 0;
}

int stab_next(void)
{
	return next ? (*next)++ : -1;
}

void stab_record(int exec, const struct fz_kcov *k)
{
	uint64_t n = __atomic_load_n(&k->area[0], __ATOMIC_RELAXED);
	uint64_t *dst;

	if (!kept || exec < 0 || exec >= nexec)
		return;
	dst = kept + (size_t)exec * STAB_PCS;
	if (n >= STAB_PCS)
		n = STAB_PCS - 1;
	if (n >= k->words)
		n = k->words - 1;
	memcpy(dst + 1, k->area + 1, n * sizeof(uint64_t));
	dst[0] = n;
}

/* afl-fuzz's count_class_lookup8: the hit-count buckets it compares */
static unsigned char bucket(unsigned char c)
{
	static const unsigned char lim[] = { 0, 1, 2, 3, 7, 15, 31, 127, 255 };
	static const unsigned char val[] = { 0, 1, 2, 4, 8, 16, 32, 64, 128 };

	for (unsigned i = 0;; i++)
		if (c <= lim[i])
			return val[i];
}

/* execution @exec's map, as AFL++ would classify it */
static void exec_map(int exec, int edges, unsigned char *map)
{
	struct fz_kcov k = { .area = kept + (size_t)exec * STAB_PCS, .words = STAB_PCS };

	memset(map, 0, FZ_MAP_SIZE);
	fz_kcov_feed(&k, map, edges);
	for (size_t i = 0; i < FZ_MAP_SIZE; i++)
		map[i] = bucket(map[i]);
}

/* the PCs of @exec that land in map byte @idx (blocks: in counter mode, exact) */
static void print_pcs(FILE *out, int exec, uint32_t idx, int edges)
{
	const uint64_t *a = kept + (size_t)exec * STAB_PCS;
	unsigned char one[FZ_MAP_SIZE];

	for (uint64_t i = 1; i <= a[0]; i++) {
		struct fz_kcov k = { .area = (uint64_t[]){ 1, a[i] }, .words = 2 };
		int seen = 0;

		if (edges)
			break; /* an edge is a pair: the map byte says which, not the PCs */
		memset(&one[idx], 0, 1);
		fz_kcov_feed(&k, one, 0);
		if (!one[idx])
			continue;
		for (uint64_t j = 1; j < i && !seen; j++)
			seen = a[j] == a[i];
		if (!seen)
			fprintf(out, " 0x%llx", (unsigned long long)a[i]);
	}
}

/* the run whose byte @i counted most: its PCs are the ones that vary */
static int fullest(const unsigned char *counts, int runs, size_t i)
{
	int best = 0;

	for (int r = 1; r < runs; r++)
		if (counts[(size_t)r * FZ_MAP_SIZE + i] > counts[(size_t)best * FZ_MAP_SIZE + i])
			best = r;
	return best;
}

int stab_report(FILE *out, char *const *inputs, int ninputs, int runs, int edges)
{
	static unsigned char first[FZ_MAP_SIZE], map[FZ_MAP_SIZE], vary[FZ_MAP_SIZE];
	unsigned char *counts = malloc((size_t)runs * FZ_MAP_SIZE);
	int total = 0;

	if (!counts)
		return -1;
	for (int in = 0; in < ninputs; in++) {
		int nvary = 0, filled = 0;

		memset(vary, 0, sizeof(vary));
		for (int r = 0; r < runs; r++) {
			exec_map(r * ninputs + in, edges, r ? map : first);
			memcpy(counts + (size_t)r * FZ_MAP_SIZE, r ? map : first, FZ_MAP_SIZE);
			for (size_t i = 0; r && i < FZ_MAP_SIZE; i++)
				vary[i] |= map[i] != first[i];
		}
		for (size_t i = 0; i < FZ_MAP_SIZE; i++) {
			filled += first[i] != 0;
			if (!vary[i])
				continue;
			nvary++;
			fprintf(out, "  %s: map byte %zu, buckets", inputs[in], i);
			for (int r = 0; r < runs; r++)
				fprintf(out, " %d", counts[(size_t)r * FZ_MAP_SIZE + i]);
			fprintf(out, "; PCs");
			print_pcs(out, fullest(counts, runs, i) * ninputs + in, (uint32_t)i, edges);
			fprintf(out, "\n");
		}
		fprintf(out, "%s: %d runs, %d of %d map bytes vary\n", inputs[in], runs, nvary, filled);
		total += nvary;
	}
	free(counts);
	return total;
}

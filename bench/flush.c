/*
 * The counter-mode flush, timed in one process against its floors. Linked
 * with a module generated at build time (bench/gen_module.sh: 10k, 100k or
 * 1M blocks of 15-block functions, built with -fsanitize-coverage as the
 * kernel is). For each density (0.01%, 1%, 10% of the blocks run), in
 * interleaved repetitions:
 *   auto    ukcov_task_return_to_user() as ukcov's kernel calls it (the scan
 *           it picks), writing the PCs into a kcov area
 *   lines   the whole-array scan forced; skip  entry-skip forced
 *   bytes   baseline: a byte loop over a flag array of the same size with
 *           the same flags set, writing the same PCs
 *   touch   floor: one load per cache line of that array, and the same PCs
 *           stored one after the other (their indices known beforehand)
 *   touch-after-run  the same floor over the module's own flags, right
 *           after the functions ran: the cache state a flush meets
 *   warm    auto, with the flags' lines loaded once between the run and
 *           the flush (a control: what that cache state costs the flush)
 *   clustered  (1% only) auto with the same number of functions run, but
 *           adjacent: as many PCs, in as few lines as they fit (a control:
 *           what the scattered lines themselves cost)
 * Prints "name min median repetitions" lines (ns per flush) and the
 * module's shape, the runtime metadata per block and the process's RSS.
 */
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <ukcov/ukcov.h>

#include "bench.h"
#include "../lib/blocks.h"

typedef int (*bench_fn)(int);
extern const bench_fn bench_fns[];
extern const unsigned int bench_nfns;
/* libukcov's internal switch for this benchmark (lib/flush.h): 1 lines, 2 entry-skip. */
extern int ukcov_flush_force;

#define REPS 15
#define AREA_WORDS (1u << 21)

static struct ukcov_task *task;
static volatile uint64_t *area;

struct series {
	double v[REPS];
};

static void put(const char *name, double d, struct series *s)
{
	qsort(s->v, REPS, sizeof(s->v[0]), bench_cmp);
	printf("%s-%g %.0f %.0f %d\n", name, d, s->v[0], s->v[REPS / 2], REPS);
}

/* Spread over the module (the figures), or the first k (the clustered control). */
static bool clustered;

static void run_functions(unsigned int k)
{
	for (unsigned int i = 0; i < k; i++)
		bench_fns[clustered ? i : (size_t)i * bench_nfns / k](0);
}

/*
 * Every figure is taken warm: the same work once untimed, then timed, so
 * that no variant pays for the cache lines the previous one evicted (the
 * baselines' arrays, the area).
 */
/* One load per cache line of the modules' own flags, as they are now. */
static uint8_t touch_module_flags(void)
{
	uint8_t s = 0;

	for (uint32_t m = 0; m < ukcov_blocks.nmodules; m++)
		for (uint32_t i = 0; i < ukcov_blocks.modules[m].nblocks; i += 64)
			s |= *(volatile uint8_t *)&ukcov_blocks.modules[m].flags[i];
	return s;
}

/* warm: the flags' lines loaded once after the code ran (a control, see bench/run.sh). */
static double time_flush_warm(unsigned int k, int force, bool warm)
{
	double t0;

	ukcov_flush_force = force;
	run_functions(k);
	area[0] = 0;
	ukcov_task_return_to_user(task, false);
	run_functions(k);
	area[0] = 0;
	if (warm && touch_module_flags() == 0xfe)
		puts("");
	t0 = now_ns();
	ukcov_task_return_to_user(task, false);
	t0 = now_ns() - t0;
	ukcov_flush_force = 0;
	return t0;
}

static double time_flush(unsigned int k, int force)
{
	return time_flush_warm(k, force, false);
}

/*
 * The floor in the state a flush meets it: right after the same functions
 * ran (their code and the flags they set now in the caches, other lines of
 * the flags pushed out), one load per line of the module's own flags and
 * the same PCs stored. The flags are then cleared by a flush, untimed.
 */
static double time_touch_after_run(unsigned int k, const uint64_t *idx, uint64_t npcs,
				   volatile uint64_t *out)
{
	double t0;
	uint8_t s;

	run_functions(k);
	t0 = now_ns();
	s = touch_module_flags();
	for (uint64_t i = 0; i < npcs; i++)
		out[i] = UKCOV_PC_BASE + idx[i] * UKCOV_PC_STRIDE;
	t0 = now_ns() - t0;
	area[0] = 0;
	ukcov_task_return_to_user(task, false);
	if (s == 0xfe)
		puts("");
	return t0;
}

static void set_flags(uint8_t *flags, const uint64_t *idx, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		flags[idx[i]] = 1;
}

static double time_bytes(volatile uint8_t *flags, size_t n, uint64_t *out)
{
	double t0 = now_ns();
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (flags[i]) {
			flags[i] = 0;
			out[k++] = UKCOV_PC_BASE + (uint64_t)i * UKCOV_PC_STRIDE;
		}
	return now_ns() - t0;
}

static double time_touch(volatile uint8_t *flags, size_t n, const uint64_t *idx, uint64_t npcs,
			 volatile uint64_t *out)
{
	double t0 = now_ns();
	uint8_t s = 0;

	for (size_t i = 0; i < n; i += 64)
		s |= flags[i];
	for (uint64_t i = 0; i < npcs; i++)
		out[i] = UKCOV_PC_BASE + idx[i] * UKCOV_PC_STRIDE;
	t0 = now_ns() - t0;
	if (s == 0xfe)
		puts("");
	return t0;
}

static long status_kib(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

int main(void)
{
	/* Before anything else allocates: what the block table holds. */
	struct mallinfo2 mi = mallinfo2();
	size_t meta = mi.uordblks + mi.hblkhd;
	const double dens[] = { 0.0001, 0.01, 0.1 };
	size_t nb = ukcov_block_count();
	uint8_t *base = aligned_alloc(64, (nb + 63) / 64 * 64);
	uint64_t *idx = malloc(AREA_WORDS * sizeof(*idx)), *out = malloc(AREA_WORDS * sizeof(*out));
	struct ukcov_kcov *k;
	long rss0 = status_kib("VmRSS:");

	task = ukcov_task_new();
	if (!task || !base || !idx || !out || ukcov_kcov_open(O_RDWR, &k) ||
	    ukcov_kcov_ioctl(k, task, UKCOV_KCOV_INIT_TRACE, AREA_WORDS, NULL))
		return 1;
	memset(base, 0, (nb + 63) / 64 * 64);
	area = mmap(NULL, AREA_WORDS * 8ul, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	if (area == MAP_FAILED || ukcov_kcov_ioctl(k, task, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL))
		return 1;
	ukcov_task_return_to_user(task, false);
	printf("blocks %zu\nfunctions %zu\nmeta-bytes-per-block %.2f\n", nb, ukcov_function_count(),
	       (double)meta / (double)nb);
	for (size_t d = 0; d < sizeof(dens) / sizeof(dens[0]); d++) {
		/* 8 blocks run per call with x = 0 (-O0: each test, then the return). */
		unsigned int kf = (unsigned int)(dens[d] * (double)nb / 8 + 0.5);
		struct series sa, sl, ss, sb, st, sr, sw;
		uint64_t npcs;

		if (!kf)
			kf = 1;
		if (kf > bench_nfns)
			kf = bench_nfns;
		/* The PCs one flush writes, as table indices: the baselines set the same flags. */
		time_flush(kf, 0);
		npcs = area[0];
		for (uint64_t i = 0; i < npcs; i++)
			idx[i] = (area[1 + i] - UKCOV_PC_BASE) / UKCOV_PC_STRIDE;
		for (int r = 0; r < REPS; r++) {
			sa.v[r] = time_flush(kf, 0);
			sl.v[r] = time_flush(kf, 1);
			ss.v[r] = time_flush(kf, 2);
			set_flags(base, idx, npcs);
			time_bytes(base, nb, out);
			set_flags(base, idx, npcs);
			sb.v[r] = time_bytes(base, nb, out);
			set_flags(base, idx, npcs);
			time_touch(base, nb, idx, npcs, out);
			st.v[r] = time_touch(base, nb, idx, npcs, out);
			memset(base, 0, nb);
			time_touch_after_run(kf, idx, npcs, out);
			sr.v[r] = time_touch_after_run(kf, idx, npcs, out);
			sw.v[r] = time_flush_warm(kf, 0, true);
		}
		printf("pcs-%g %llu\n", dens[d], (unsigned long long)npcs);
		put("auto", dens[d], &sa);
		put("lines", dens[d], &sl);
		put("skip", dens[d], &ss);
		put("bytes", dens[d], &sb);
		put("touch", dens[d], &st);
		put("touch-after-run", dens[d], &sr);
		put("warm", dens[d], &sw);
		if (dens[d] == 0.01) {
			clustered = true;
			for (int r = 0; r < REPS; r++)
				sa.v[r] = time_flush(kf, 0);
			clustered = false;
			put("clustered", dens[d], &sa);
		}
	}
	/* At main(): the module registered, nothing of the benchmark's own yet. */
	printf("rss-start-kib %ld\nrss-kib %ld\n", rss0, status_kib("VmRSS:"));
	return 0;
}

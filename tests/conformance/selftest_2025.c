/*
 * What the 2025 kcov selftest (tools/testing/selftests/kcov, posted with the
 * KCOV_UNIQUE_ENABLE / KCOV_RESET_TRACE series) asks of a kernel, in its
 * seven variants: TRACE_PC and TRACE_CMP reset by storing 0, TRACE_PC reset
 * by ioctl with a read-write and a read-only mapping; unique mode reset by
 * stores, by ioctl (rw), by ioctl (ro). Written here from its description:
 *   - two back-to-back probes give counts within 10x of each other, both > 0;
 *   - an ioctl reset leaves a non-zero count (the rest of the ioctl is traced);
 *   - probing until nothing more fits saturates the buffer, and a reset then
 *     drops the count;
 *   - unique mode: after 1000 probes one more adds nothing; after a reset the
 *     probe is new again.
 * Skips (77) where the kernel lacks the proposal or comparisons, except under
 * ukcov's trace mode; in counter mode (UKCOV_MODE=counters) TRACE_CMP is
 * ENOTSUPP and is skipped.
 */
#include "kcov_test.h"

#define BITMAP_WORDS (4UL << 10)

static unsigned long probe_count(unsigned long *count_word)
{
	unsigned long before = __atomic_load_n(count_word, __ATOMIC_RELAXED);

	kt_probe();
	return __atomic_load_n(count_word, __ATOMIC_RELAXED) - before;
}

/* Resets by a store, or by KCOV_RESET_TRACE, which must leave some PCs of its own. */
static void reset(const char *v, int fd, int by_ioctl, unsigned long *bitmap, unsigned long *count_word)
{
	if (!by_ioctl) {
		if (bitmap)
			memset(bitmap, 0, BITMAP_WORDS * sizeof(*bitmap));
		__atomic_store_n(count_word, 0, __ATOMIC_RELAXED);
		return;
	}
	CHECK_OK(ioctl(fd, KCOV_RESET_TRACE, 0UL));
	CHECK(__atomic_load_n(count_word, __ATOMIC_RELAXED) != 0,
	      "%s: count right after KCOV_RESET_TRACE: expected the ioctl's own PCs got 0", v);
}

/* kcov fixture: returns 1 if run, 0 if skipped. */
static int variant_plain(const char *v, unsigned long mode, int by_ioctl, int ro)
{
	unsigned long *area, first, second, before, after;
	int fd = kt_open();

	REQUIRE_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	area = kt_map(fd, KT_COVER_SIZE, ro ? PROT_READ : PROT_READ | PROT_WRITE);
	errno = 0;
	if (ioctl(fd, KCOV_ENABLE, mode)) {
		CHECK(errno == ENOTSUPP && !kt_trace(), "%s: ENABLE: expected success got %s", v,
		      kt_errname(errno));
		close(fd);
		return 0;
	}
	if (by_ioctl && ioctl(fd, KCOV_RESET_TRACE, 0UL) && errno == ENOTTY && !getenv("UKCOV_MODE")) {
		ioctl(fd, KCOV_DISABLE, 0UL);
		close(fd);
		return 0;
	}
	reset(v, fd, by_ioctl, NULL, &area[0]);
	first = probe_count(&area[0]);
	second = probe_count(&area[0]);
	CHECK(first > 0 && second > 0, "%s: probes: expected coverage got %lu and %lu", v, first, second);
	CHECK(first * 10 > second && second * 10 > first, "%s: back-to-back probes: %lu and %lu", v,
	      first, second);
	reset(v, fd, by_ioctl, NULL, &area[0]);
	CHECK(probe_count(&area[0]) > 0, "%s: probe after a reset: expected coverage got 0", v);
	reset(v, fd, by_ioctl, NULL, &area[0]);
	for (int i = 0; i < 1000000 && probe_count(&area[0]); i++)
		;
	before = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	reset(v, fd, by_ioctl, NULL, &area[0]);
	after = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	CHECK(before > after, "%s: reset of a full buffer: count %lu, then %lu", v, before, after);
	CHECK(probe_count(&area[0]) > 0, "%s: probe after the last reset: expected coverage got 0", v);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return 1;
}

static int variant_unique(const char *v, int by_ioctl, int ro)
{
	unsigned long *area, *cover, before, after;
	int fd = kt_open();

	REQUIRE_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	area = kt_map(fd, KT_COVER_SIZE, ro ? PROT_READ : PROT_READ | PROT_WRITE);
	errno = 0;
	if (ioctl(fd, KCOV_UNIQUE_ENABLE, BITMAP_WORDS)) {
		CHECK(errno == ENOTTY && !getenv("UKCOV_MODE"), "%s: UNIQUE_ENABLE: expected success got %s",
		      v, kt_errname(errno));
		close(fd);
		return 0;
	}
	cover = area + BITMAP_WORDS;
	reset(v, fd, by_ioctl, area, cover);
	(void)probe_count(cover);
	(void)probe_count(cover);
	reset(v, fd, by_ioctl, area, cover);
	CHECK(probe_count(cover) > 0, "%s: probe after a reset: expected new PCs got 0", v);
	reset(v, fd, by_ioctl, area, cover);
	for (int i = 0; i < 1000; i++)
		(void)probe_count(cover);
	CHECK(probe_count(cover) == 0, "%s: a probe after 1000 identical ones: expected no new PC", v);
	before = __atomic_load_n(cover, __ATOMIC_RELAXED);
	reset(v, fd, by_ioctl, area, cover);
	after = __atomic_load_n(cover, __ATOMIC_RELAXED);
	CHECK(before > after, "%s: reset: count %lu, then %lu", v, before, after);
	CHECK(probe_count(cover) > 0, "%s: probe after the last reset: expected new PCs got 0", v);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return 1;
}

int main(int argc, char **argv)
{
	int ran = 0;

	(void)argc;
	kt_no_rseq(argv);
	ran += variant_plain("mode_trace_pc", KCOV_TRACE_PC, 0, 0);
	ran += variant_plain("mode_trace_cmp", KCOV_TRACE_CMP, 0, 0);
	ran += variant_plain("reset_ioctl_rw", KCOV_TRACE_PC, 1, 0);
	ran += variant_plain("reset_ioctl_ro", KCOV_TRACE_PC, 1, 1);
	ran += variant_unique("uniq_fast_rw", 0, 0);
	ran += variant_unique("uniq_slow_rw", 1, 0);
	ran += variant_unique("uniq_slow_ro", 1, 1);
	fprintf(stderr, "%d of 7 variants ran\n", ran);
	if (!kt_failed && ran < 7 && !getenv("UKCOV_MODE"))
		return KT_SKIP;
	return kt_failed;
}

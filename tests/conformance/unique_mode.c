/*
 * KCOV_UNIQUE_ENABLE(bitmap_words), the 2025 proposal: its errnos, then a
 * PC reaches the trace (after the bitmap, with its own count) at most once:
 * after a thousand identical probes one more adds nothing, and the bitmap
 * holds the coverage. Skips (77) on a kernel without the proposal (ENOTTY),
 * except under ukcov (UKCOV_MODE set), where it must be there.
 */
#include "kcov_test.h"

#define BITMAP_WORDS 1024UL

int main(void)
{
	unsigned long *area, *area2, *trace, n, bits = 0;
	int fresh = kt_open();
	int fd = kt_setup(KT_COVER_SIZE, &area);
	int fd2 = kt_setup(KT_COVER_SIZE, &area2);

	errno = 0;
	if (ioctl(fresh, KCOV_UNIQUE_ENABLE, BITMAP_WORDS) && errno == ENOTTY && !getenv("UKCOV_MODE")) {
		fprintf(stderr, "SKIP: no KCOV_UNIQUE_ENABLE here\n");
		return KT_SKIP;
	}
	CHECK_ERR(ioctl(fresh, KCOV_UNIQUE_ENABLE, BITMAP_WORDS), EINVAL); /* not initialised */
	CHECK_OK(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_ERR(ioctl(fd, KCOV_UNIQUE_ENABLE, BITMAP_WORDS), EBUSY);
	CHECK_OK(ioctl(fd2, KCOV_DISABLE, 0UL));
	CHECK_ERR(ioctl(fd, KCOV_UNIQUE_ENABLE, 0UL), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_UNIQUE_ENABLE, KT_COVER_SIZE - 1), EINVAL);
	CHECK_OK(ioctl(fd, KCOV_UNIQUE_ENABLE, BITMAP_WORDS));
	CHECK_ERR(ioctl(fd, KCOV_UNIQUE_ENABLE, BITMAP_WORDS), EINVAL); /* enabled already */
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);

	trace = area + BITMAP_WORDS;
	for (int i = 0; i < 1000; i++)
		kt_probe();
	n = __atomic_load_n(&trace[0], __ATOMIC_ACQUIRE);
	CHECK(n > 0 && n < KT_COVER_SIZE - BITMAP_WORDS, "unique trace after 1000 probes: got %lu PCs", n);
	CHECK_PCS(trace, n);
	kt_probe();
	CHECK(__atomic_load_n(&trace[0], __ATOMIC_ACQUIRE) == n,
	      "one more identical probe: expected no new PC got %lu",
	      __atomic_load_n(&trace[0], __ATOMIC_ACQUIRE) - n);
	for (unsigned long w = 0; w < BITMAP_WORDS; w++)
		bits += (unsigned long)__builtin_popcountl(area[w]);
	CHECK(bits > 0, "bitmap after the probes: expected bits set got none");
	/* Each PC of the trace is there once. */
	{
		struct kt_set s = { 0 };

		kt_set_add_trace(&s, trace, KT_COVER_SIZE - BITMAP_WORDS);
		kt_set_finish(&s);
		CHECK(s.n == n, "unique trace: expected %lu distinct PCs got %zu", n, s.n);
		free(s.v);
	}
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	/* Back to INIT: a plain ENABLE works again. */
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	close(fd2);
	close(fresh);
	return kt_failed;
}

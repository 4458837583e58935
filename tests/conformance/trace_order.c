/*
 * The trace is ordered, with duplicates, as Linux's __sanitizer_cov_trace_pc
 * writes it: the same syscall twice gives the same sequence; a path walk
 * repeats the blocks of its loop; consecutive PCs give edges (syzkaller's
 * signal), and a loop repeats an edge. Under ukcov's counter mode
 * (UKCOV_MODE=counters) a syscall's coverage is a set instead: each block at
 * most once, which is checked there.
 */
#include "kcov_test.h"

#define MAXN 4096

static unsigned long copy_trace(unsigned long *area, unsigned long *out)
{
	unsigned long n = kt_count(area, KT_COVER_SIZE);

	if (n > MAXN)
		n = MAXN;
	memcpy(out, &area[1], n * sizeof(*out));
	return n;
}

static unsigned long distinct(const unsigned long *v, unsigned long n)
{
	struct kt_set s = { 0 };

	for (unsigned long i = 0; i < n; i++)
		kt_set_add(&s, v[i]);
	kt_set_finish(&s);
	free(s.v);
	return s.n;
}

int main(int argc, char **argv)
{
	static unsigned long a[MAXN], b[MAXN];
	unsigned long *area, na, nb, nd;
	int fd, fd2, repeated_edge = 0;

	(void)argc;
	kt_no_rseq(argv);
	fd = kt_setup(KT_COVER_SIZE, &area);
	REQUIRE_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));

	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	kt_probe();
	na = copy_trace(area, a);
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	kt_probe();
	nb = copy_trace(area, b);
	CHECK(na > 0, "PCs of a probe: expected > 0 got 0");
	CHECK(na == nb && memcmp(a, b, na * sizeof(*a)) == 0,
	      "the same syscall twice: expected the same sequence got %lu and %lu PCs%s", na, nb,
	      na == nb ? " in another order" : "");
	CHECK_PCS(area, kt_count(area, KT_COVER_SIZE));

	/* A walk over many components runs its per-component blocks again and again. */
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	fd2 = open("/sys/kernel/debug/./././././././././././kcov", O_RDWR);
	na = copy_trace(area, a);
	CHECK(fd2 >= 0, "open of the kcov path through ./ components: expected success got %s",
	      kt_errname(errno));
	nd = distinct(a, na);
	if (kt_counters()) {
		CHECK(na == nd, "counter mode: expected each block once per syscall got %lu PCs, %lu distinct",
		      na, nd);
	} else {
		CHECK(na > nd, "path walk: expected repeated blocks got %lu PCs, all distinct", na);
		/* Edges (prev, cur): the walk's loop takes one of them more than once. */
		for (unsigned long i = 1; i < na && !repeated_edge; i++)
			for (unsigned long j = i + 1; j < na && !repeated_edge; j++)
				repeated_edge = a[i - 1] == a[j - 1] && a[i] == a[j];
		CHECK(repeated_edge, "path walk: expected an edge taken twice (a loop) in %lu PCs", na);
	}
	if (fd2 >= 0)
		close(fd2);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}

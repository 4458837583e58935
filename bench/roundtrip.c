/*
 * roundtrip: a guest that times syscalls, for `make bench`. Each figure is
 * the median of several rounds of ns per call, measured in this process:
 *   getpid       never trapped (the native baseline)
 *   read(-1)     trapped: a full round trip through the supervisor
 *   read(-1)+kcov  the same with kcov enabled in TRACE_PC mode
 *   read(-1)+cmp   in KCOV_TRACE_CMP mode (where supported: trace mode)
 *   read(-1)+unique  in KCOV_UNIQUE_ENABLE mode (after the first call, no new PC)
 *   read(-1)+kcov-1000fds  TRACE_PC again with 999 more kcov fds open
 *                  (interleaved with read(-1)+kcov-1fd: 3 rounds of each)
 * Prints "name min median rounds" lines (ns per call) and "pcs-per-probe N";
 * bench/run.sh turns them into ratios.
 */
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 7
#define SIZE (64 << 10)
#ifndef KCOV_UNIQUE_ENABLE
#define KCOV_UNIQUE_ENABLE _IOW('c', 103, unsigned long)
#endif

static unsigned long *cover;
static double min;

static void put(const char *name, double med)
{
	printf("%s %.0f %.0f %d\n", name, min, med, ROUNDS);
}

static void op_getpid(void) { syscall(SYS_getpid); }
static void op_read(void) { (void)!read(-1, NULL, 0); }
static void op_read_kcov(void)
{
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	(void)!read(-1, NULL, 0);
}
static void op_read_unique(void)
{
	__atomic_store_n(&cover[1024], 0, __ATOMIC_RELAXED);
	(void)!read(-1, NULL, 0);
}

/* Times read(-1) with kcov enabled by `cmd(arg)`; 0 when that mode is refused. */
static double with_kcov(int fd, unsigned long cmd, unsigned long arg, long n, void (*op)(void),
			unsigned long *per_call)
{
	double ns;

	if (ioctl(fd, cmd, arg))
		return 0;
	op();
	*per_call = cmd == KCOV_UNIQUE_ENABLE ? cover[1024] : cover[0];
	ns = rounds_ns(ROUNDS, n, op, &min);
	ioctl(fd, KCOV_DISABLE, 0);
	return ns;
}

/*
 * A probe must not slow down with the number of kcov instances: the traced
 * read(-1) with 1 and with 1000 kcov fds open, 3 rounds of each, interleaved.
 */
static int many_fds(int fd, long n)
{
	static int extra[999];
	double one[3], many[3], m1 = 1e18, m2 = 1e18;

	for (int r = 0; r < 3; r++) {
		if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
			return 1;
		one[r] = rounds_ns(ROUNDS, n, op_read_kcov, &min);
		m1 = min < m1 ? min : m1;
		for (int i = 0; i < 999; i++)
			if ((extra[i] = open("/sys/kernel/debug/kcov", O_RDWR)) < 0)
				return perror("kcov"), 1;
		many[r] = rounds_ns(ROUNDS, n, op_read_kcov, &min);
		m2 = min < m2 ? min : m2;
		for (int i = 0; i < 999; i++)
			close(extra[i]);
		ioctl(fd, KCOV_DISABLE, 0);
	}
	qsort(one, 3, sizeof(one[0]), bench_cmp);
	qsort(many, 3, sizeof(many[0]), bench_cmp);
	printf("read-1+kcov-1fd %.0f %.0f %d\n", m1, one[1], 3 * ROUNDS);
	printf("read-1+kcov-1000fds %.0f %.0f %d\n", m2, many[1], 3 * ROUNDS);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	unsigned long per;
	double ns;
	int fd;

	put("getpid", rounds_ns(ROUNDS, n * 10, op_getpid, &min));
	put("read-1", rounds_ns(ROUNDS, n, op_read, &min));
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd < 0)
		return 0; /* natively there is no kcov here */
	if (ioctl(fd, KCOV_INIT_TRACE, SIZE))
		return 1;
	cover = mmap(NULL, SIZE * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		return 1;
	ns = with_kcov(fd, KCOV_ENABLE, KCOV_TRACE_PC, n, op_read_kcov, &per);
	if (!ns)
		return 1;
	put("read-1+kcov", ns);
	printf("pcs-per-probe %lu\n", per);
	ns = with_kcov(fd, KCOV_ENABLE, KCOV_TRACE_CMP, n, op_read_kcov, &per);
	if (ns) {
		put("read-1+cmp", ns);
		printf("cmps-per-probe %lu\n", per);
	}
	/* Unique mode: the bitmap must start clear; the first call's PCs are new, later ones not. */
	memset(cover, 0, 1025 * sizeof(*cover));
	ns = with_kcov(fd, KCOV_UNIQUE_ENABLE, 1024, n, op_read_unique, &per);
	if (ns)
		put("read-1+unique", ns);
	if (argc > 2 && !strcmp(argv[2], "fds"))
		return many_fds(fd, n);
	return 0;
}
/*
 * roundtrip: a guest that times syscalls, for `make bench`. Each figure is
 * the median of several rounds of ns per call, measured in this process:
 *   getpid       never trapped (the native baseline)
 *   read(-1)     trapped: a full round trip through the supervisor
 *   read(-1)+kcov  the same with kcov enabled (the flush writes ~7 PCs)
 * Prints "name ns" lines; bench/run.sh turns them into ratios.
 */
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 7

static unsigned long *cover;

static void op_getpid(void) { syscall(SYS_getpid); }
static void op_read(void) { (void)!read(-1, NULL, 0); }
static void op_read_kcov(void)
{
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	(void)!read(-1, NULL, 0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	int fd;

	printf("getpid %.0f\n", median_ns(ROUNDS, n * 10, op_getpid));
	printf("read-1 %.0f\n", median_ns(ROUNDS, n, op_read));
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd < 0)
		return 0; /* natively there is no kcov here */
	if (ioctl(fd, KCOV_INIT_TRACE, 64 << 10))
		return 1;
	cover = mmap(NULL, (64 << 10) * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		return 1;
	printf("read-1+kcov %.0f\n", median_ns(ROUNDS, n, op_read_kcov));
	printf("pcs-per-probe %lu\n", cover[0]);
	return 0;
}

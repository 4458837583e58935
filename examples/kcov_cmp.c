/*
 * kcov_cmp: comparison mode (KCOV_TRACE_CMP), after the kcov documentation.
 * Each record is 4 words {type, arg1, arg2, ip}; type bit 0 says an operand
 * is a compile-time constant, bits 1-2 hold log2 of the operand size. A kernel
 * without CONFIG_KCOV_ENABLE_COMPARISONS (and ukcov in counter mode, its
 * default) answers ENOTSUPP, the kernel-internal errno 524; `ukcov run
 * --mode=trace` has comparison operands. `ip` is the synthetic PC of the
 * block that holds the comparison: `ukcov symbolize` maps it to source.
 *
 * Build:  gcc -std=gnu11 -O1 -g -Wall -Wextra -o kcov_cmp examples/kcov_cmp.c
 * Run:    build/bin/ukcov run --mode=trace -- ./kcov_cmp
 *
 * Output: "comparison mode not supported (ENOTSUPP)", or the record count
 * followed by one line per record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kcov.h>

#ifndef ENOTSUPP
#define ENOTSUPP 524	/* not in libc: the kernel leaks its internal value */
#endif

#define COVER_SIZE (64UL << 10)	/* in words */
#define KCOV_WORDS_PER_CMP 4

int main(void)
{
	unsigned long *cover, n, i;
	int fd;

	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd == -1) {
		perror("open /sys/kernel/debug/kcov");
		return 1;
	}
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE)) {
		perror("ioctl KCOV_INIT_TRACE");
		return 1;
	}
	cover = mmap(NULL, COVER_SIZE * sizeof(unsigned long),
		     PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_CMP)) {
		if (errno == ENOTSUPP) {
			printf("comparison mode not supported (ENOTSUPP)\n");
			return 0;
		}
		perror("ioctl KCOV_ENABLE(KCOV_TRACE_CMP)");
		return 1;
	}
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	if (read(-1, NULL, 0) != -1) {
		fprintf(stderr, "read(-1) unexpectedly succeeded\n");
		return 1;
	}
	/* The count is in records; only whole records are ever stored. */
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (n > (COVER_SIZE - 1) / KCOV_WORDS_PER_CMP)
		n = (COVER_SIZE - 1) / KCOV_WORDS_PER_CMP;
	printf("%lu\n", n);
	for (i = 0; i < n; i++) {
		unsigned long *rec = &cover[1 + i * KCOV_WORDS_PER_CMP];
		unsigned long type = rec[0];

		printf("type=%lu size=%lu const=%lu arg1=0x%lx arg2=0x%lx ip=0x%lx\n",
		       type, 1UL << ((type & KCOV_CMP_MASK) >> 1),
		       type & KCOV_CMP_CONST, rec[1], rec[2], rec[3]);
	}
	if (ioctl(fd, KCOV_DISABLE, 0UL)) {
		perror("ioctl KCOV_DISABLE");
		return 1;
	}
	munmap(cover, COVER_SIZE * sizeof(unsigned long));
	close(fd);
	return 0;
}

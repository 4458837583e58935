/*
 * kcov_single: the single-thread flow of the Linux kcov documentation
 * (Documentation/dev-tools/kcov.rst): collect the kernel PCs that one
 * read(-1, NULL, 0) executes.
 *
 * Build:  gcc -std=gnu11 -O1 -g -Wall -Wextra -o kcov_single examples/kcov_single.c
 * Run:    build/bin/ukcov run -- ./kcov_single
 *         (or directly on a Linux kernel built with CONFIG_KCOV, debugfs mounted)
 *
 * Output: the number of PCs on the first line, then one PC per line as 0x%lx.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kcov.h>

#define COVER_SIZE (64UL << 10)	/* in words */

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
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		perror("ioctl KCOV_ENABLE");
		return 1;
	}
	/* The kernel only ever appends; resetting is the user's job. */
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	if (read(-1, NULL, 0) != -1) {
		fprintf(stderr, "read(-1) unexpectedly succeeded\n");
		return 1;
	}
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (n > COVER_SIZE - 1)	/* area[0] is writable by anyone: never trust it */
		n = COVER_SIZE - 1;
	printf("%lu\n", n);
	for (i = 0; i < n; i++)
		printf("0x%lx\n", cover[i + 1]);
	if (ioctl(fd, KCOV_DISABLE, 0UL)) {
		perror("ioctl KCOV_DISABLE");
		return 1;
	}
	if (munmap(cover, COVER_SIZE * sizeof(unsigned long))) {
		perror("munmap");
		return 1;
	}
	if (close(fd)) {
		perror("close");
		return 1;
	}
	return 0;
}

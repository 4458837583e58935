/* For the kcov clients of tests/tmpfs: open, size, map and enable kcov. */
#ifndef UKCOV_TMPFS_KCOV_GUEST_H
#define UKCOV_TMPFS_KCOV_GUEST_H

#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define KCOV_GUEST_SIZE (64 << 10)

/* The enabled area of a new kcov for this thread; exits 1 on failure. */
static inline unsigned long *kcov_guest_start(void)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);
	unsigned long *cover;

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, KCOV_GUEST_SIZE))
		perror("kcov"), exit(1);
	cover = mmap(NULL, KCOV_GUEST_SIZE * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		perror("kcov"), exit(1);
	return cover;
}

#endif

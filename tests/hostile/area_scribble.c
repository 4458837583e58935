/*
 * The guest writes the words the kernel reads while it writes them: a
 * thread stores garbage into area[0] (counts near the size, past it, ~0,
 * huge), into the unique-mode bitmap and trace count, and flips
 * num_handles of a KCOV_REMOTE_ENABLE argument between a valid and an
 * invalid value, while the main thread makes traced syscalls in every mode.
 * The supervisor must survive (every syscall keeps its Linux answer) and
 * never store past the area: a one-page area sits in a mapping of exactly
 * its size, and the count left in area[0] is either garbage the thread
 * wrote or a count within the area.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef KCOV_UNIQUE_ENABLE
#define KCOV_UNIQUE_ENABLE _IOW('c', 103, unsigned long)
#endif
#ifndef KCOV_RESET_TRACE
#define KCOV_RESET_TRACE _IO('c', 104)
#endif
#define SIZE 512UL

static volatile unsigned long *area;
static volatile int stop;
static volatile uint32_t *num_handles;

static void *scribbler(void *p)
{
	static const unsigned long bad[] = { 510, 511, 512, 513, 127, 128, ~0UL, ~0UL - 1, 1UL << 62,
					     0x7fffffffffffffffUL, 0 };
	unsigned int i = 0;

	(void)p;
	while (!stop) {
		area[0] = bad[i % 11];
		area[1] = ~0UL;
		area[2] = bad[(i + 3) % 11];
		*num_handles = (i & 1) ? 1 : 0x100;
		i++;
	}
	return NULL;
}

static int fails;

static void probe(void)
{
	errno = 0;
	if (read(-1, NULL, 0) != -1 || errno != EBADF) {
		fprintf(stderr, "FAIL: read(-1): expected EBADF got %d\n", errno);
		fails++;
	}
}

static void run_for(int ms, void (*fn)(int fd), int fd)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		fn(fd);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static void probes(int fd)
{
	(void)fd;
	probe();
}

static void resets(int fd)
{
	probe();
	if (ioctl(fd, KCOV_RESET_TRACE, 0))
		fprintf(stderr, "FAIL: RESET_TRACE: %d\n", errno), fails++;
}

static void remotes(int fd)
{
	/* struct kcov_remote_arg starts 8 bytes before num_handles. */
	if (ioctl(fd, KCOV_REMOTE_ENABLE, (void *)num_handles - 8) == 0) {
		if (ioctl(fd, KCOV_DISABLE, 0))
			fprintf(stderr, "FAIL: DISABLE after REMOTE_ENABLE: %d\n", errno), fails++;
	} else if (errno != EINVAL) {
		fprintf(stderr, "FAIL: REMOTE_ENABLE with a racing num_handles: errno %d\n", errno);
		fails++;
	}
}

static void check_count(const char *mode)
{
	unsigned long n = area[0];

	/*
	 * Garbage the thread wrote, a count the kernel wrote within the area,
	 * or a PC (a count of ~0 puts the next PC in area[0], as on Linux).
	 */
	if (n >= SIZE && n != 512 && n != 513 && n != ~0UL && n != ~0UL - 1 && n != 1UL << 62 &&
	    n != 0x7fffffffffffffffUL && (n >> 56) != 0xff) {
		fprintf(stderr, "FAIL: %s: area[0] = %#lx\n", mode, n);
		fails++;
	}
}

int main(void)
{
	pthread_t th;
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);
	uint64_t *argmem;

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, SIZE))
		perror("kcov"), exit(1);
	area = mmap(NULL, SIZE * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	argmem = calloc(1, 24 + 0x100 * 8);
	if (area == MAP_FAILED || !argmem)
		perror("mmap"), exit(1);
	argmem[3] = (1ULL << 56) | 5; /* handles[0]: a USB handle; the rest 0 (invalid) */
	num_handles = (uint32_t *)argmem + 2;
	if (pthread_create(&th, NULL, scribbler, NULL))
		exit(1);

	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		perror("ENABLE"), exit(1);
	run_for(300, probes, fd);
	check_count("TRACE_PC");
	run_for(100, resets, fd);
	ioctl(fd, KCOV_DISABLE, 0);
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_CMP) == 0) {
		run_for(300, probes, fd);
		check_count("TRACE_CMP");
		ioctl(fd, KCOV_DISABLE, 0);
	}
	if (ioctl(fd, KCOV_UNIQUE_ENABLE, 2UL) == 0) {
		run_for(300, probes, fd);
		run_for(100, resets, fd);
		ioctl(fd, KCOV_DISABLE, 0);
	}
	run_for(300, remotes, fd);
	stop = 1;
	pthread_join(th, NULL);
	/* Still served, still exact. */
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		perror("ENABLE after"), exit(1);
	area[0] = 0;
	probe();
	if (area[0] == 0 || area[0] >= SIZE)
		fprintf(stderr, "FAIL: after the storm: %lu PCs\n", area[0]), fails++;
	ioctl(fd, KCOV_DISABLE, 0);
	return fails != 0;
}

/*
 * Opening and closing kcov in a loop must not grow the supervisor without
 * bound (it is the guest's parent: its /proc/PPID/fd is readable), and the
 * instances still held keep working through the collections: an enabled one,
 * and one only open (initialized, not enabled) that is enabled afterwards.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE 512UL

static int count_fds(pid_t pid)
{
	char path[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static unsigned long *kcov_map(int fd)
{
	if (ioctl(fd, KCOV_INIT_TRACE, SIZE))
		return MAP_FAILED;
	return mmap(NULL, SIZE * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

int main(void)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR), fd2, max = 0;
	unsigned long *area = kcov_map(fd), *area2;

	if (fd < 0)
		return 77;
	if (area == MAP_FAILED || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		return perror("kcov"), 1;
	/* A second one, initialized and mapped, held by its fd only (unmapped). */
	fd2 = open("/sys/kernel/debug/kcov", O_RDWR);
	area2 = kcov_map(fd2);
	if (area2 == MAP_FAILED)
		return perror("kcov 2"), 1;
	munmap(area2, SIZE * 8);
	for (int i = 0; i < 3000; i++) {
		int k = open("/sys/kernel/debug/kcov", O_RDWR);

		if (k < 0)
			return perror("open"), 1;
		if (i % 2)
			ioctl(k, KCOV_INIT_TRACE, SIZE);
		close(k);
		if (i % 500 == 0) {
			int n = count_fds(getppid());

			max = n > max ? n : max;
		}
	}
	if (max > 400) {
		fprintf(stderr, "FAIL: the supervisor held %d fds after open/close loops\n", max);
		return 1;
	}
	area[0] = 0;
	(void)!read(-1, NULL, 0);
	if (area[0] == 0) {
		fprintf(stderr, "FAIL: the enabled kcov stopped working after collections\n");
		return 1;
	}
	if (ioctl(fd, KCOV_DISABLE, 0) || ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC)) {
		perror("FAIL: the held-open kcov could not be enabled after collections");
		return 1;
	}
	area2 = mmap(NULL, SIZE * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	if (area2 == MAP_FAILED)
		return perror("FAIL: mmap of the held-open kcov"), 1;
	area2[0] = 0;
	(void)!read(-1, NULL, 0);
	if (area2[0] == 0) {
		fprintf(stderr, "FAIL: the held-open kcov records nothing after collections\n");
		return 1;
	}
	printf("supervisor fds at most %d over 3000 open/close\n", max);
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Opens, sizes, maps, unmaps and closes the kcov file N times (argv[1]),
 * then prints how many kcov memfds the tracer (our parent: proot) still
 * holds: a tracer that never learns of the guest's close would hold N.
 */
#include <dirent.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static int tracer_kcovs(void)
{
	char path[64], link[256];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)getppid());
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		ssize_t len = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);

		if (len > 0) {
			link[len] = 0;
			n += !strncmp(link, "/memfd:kcov", 11);
		}
	}
	closedir(dir);
	return n;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 100;

	for (int i = 0; i < rounds; i++) {
		int fd = open("/sys/kernel/debug/kcov", O_RDWR);
		void *area;

		if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, 512))
			perror("kcov"), exit(1);
		area = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (area == MAP_FAILED)
			perror("mmap"), exit(1);
		munmap(area, 4096);
		close(fd);
	}
	printf("%d\n", tracer_kcovs());
	return 0;
}

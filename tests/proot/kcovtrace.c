// SPDX-License-Identifier: MIT
/*
 * kcovtrace as syzkaller's tools/kcovtrace does it: the parent opens the
 * kcov file, sizes and maps the area; a child enables tracing and execs the
 * program; after waitpid the parent prints every PC (0x%lx, one a line)
 * read through its own mapping. An ordinary kcov client: Linux's ABI only.
 *   kcovtrace PROGRAM [ARGS...]
 */
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define COVER_SIZE (16 << 20)

int main(int argc, char **argv)
{
	unsigned long *cover, n;
	int fd, status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: kcovtrace PROGRAM [ARGS...]\n");
		return 2;
	}
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd == -1)
		perror("open"), exit(1);
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE))
		perror("init trace"), exit(1);
	cover = mmap(NULL, COVER_SIZE * sizeof(unsigned long), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		perror("mmap"), exit(1);
	pid = fork();
	if (pid < 0)
		perror("fork"), exit(1);
	if (pid == 0) {
		if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
			perror("enable"), exit(1);
		__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
		execvp(argv[1], argv + 1);
		perror("exec");
		exit(255);
	}
	while (waitpid(pid, &status, 0) != pid)
		;
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	for (unsigned long i = 0; i < n && i + 1 < COVER_SIZE; i++)
		printf("0x%lx\n", cover[i + 1]);
	if (munmap(cover, COVER_SIZE * sizeof(unsigned long)))
		perror("munmap"), exit(1);
	if (close(fd))
		perror("close"), exit(1);
	return 0;
}

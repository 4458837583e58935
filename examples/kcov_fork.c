/*
 * kcov_fork: the parent sets kcov up, a child does the traced work. This is
 * how syzkaller's kcovtrace works (it execs the target in the child): the
 * buffer belongs to the open file, not to a process, so the parent reads the
 * child's PCs through its own mapping after waitpid. The child does not need
 * to DISABLE: its exit does that.
 *
 * Build:  gcc -std=gnu11 -O1 -g -Wall -Wextra -o kcov_fork examples/kcov_fork.c
 * Run:    build/bin/ukcov run -- ./kcov_fork
 *
 * Output: the number of PCs the child produced, then one PC per line as 0x%lx.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kcov.h>

#define COVER_SIZE (64UL << 10)	/* in words */

int main(void)
{
	unsigned long *cover, n, i;
	int fd, status;
	pid_t pid;

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

	pid = fork();
	if (pid == -1) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* fork never passes on an enabled kcov: the child enables its own. */
		if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
			perror("child: ioctl KCOV_ENABLE");
			_exit(1);
		}
		__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
		if (read(-1, NULL, 0) != -1)
			_exit(1);
		/* Stop here so the count holds the probe alone, not exit's work. */
		if (ioctl(fd, KCOV_DISABLE, 0UL)) {
			perror("child: ioctl KCOV_DISABLE");
			_exit(1);
		}
		_exit(0);
	}

	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child failed (status %#x)\n", status);
		return 1;
	}
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (n > COVER_SIZE - 1)
		n = COVER_SIZE - 1;
	printf("%lu\n", n);
	for (i = 0; i < n; i++)
		printf("0x%lx\n", cover[i + 1]);
	munmap(cover, COVER_SIZE * sizeof(unsigned long));
	close(fd);
	return 0;
}

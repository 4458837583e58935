/*
 * kcov_remote: remote coverage (KCOV_REMOTE_ENABLE), after the kcov
 * documentation's example. The client registers a common handle; work the
 * kernel does in the background on behalf of the tasks it creates
 * afterwards is collected into its area, while its own syscalls are not.
 *
 * In ukcov the background work is the release of a file in a --tmpfs mount
 * whose last descriptor was closed: the supervisor does it between two
 * syscalls it serves, inside a remote section of the opener's common handle.
 * A child opens and closes a file; the parent then makes a few syscalls (so
 * the supervisor runs its loop) and prints the PCs of the release.
 *
 * Build:  gcc -std=gnu11 -O1 -g -Wall -Wextra -o kcov_remote examples/kcov_remote.c
 * Run:    build/bin/ukcov run --mode=trace --tmpfs=/mnt/r -- ./kcov_remote /mnt/r
 *         (counter mode works too: the PCs are then a set per release)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/kcov.h>

#define COVER_SIZE (64 << 10)

int main(int argc, char **argv)
{
	struct kcov_remote_arg *arg;
	unsigned long *cover, n, i;
	char path[4096];
	int fd, status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/kcov_remote.tmp", argc > 1 ? argv[1] : "/tmp");
	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd == -1)
		perror("open"), exit(1);
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE))
		perror("ioctl"), exit(1);
	cover = (unsigned long *)mmap(NULL, COVER_SIZE * sizeof(unsigned long),
				      PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if ((void *)cover == MAP_FAILED)
		perror("mmap"), exit(1);

	/* Enable coverage collection via common handle and from USB bus #1. */
	arg = calloc(1, sizeof(*arg) + sizeof(uint64_t));
	if (!arg)
		perror("calloc"), exit(1);
	arg->trace_mode = KCOV_TRACE_PC;
	arg->area_size = COVER_SIZE;
	arg->num_handles = 1;
	arg->common_handle = kcov_remote_handle(KCOV_SUBSYSTEM_COMMON, 0x42);
	arg->handles[0] = kcov_remote_handle(KCOV_SUBSYSTEM_USB, 1);
	if (ioctl(fd, KCOV_REMOTE_ENABLE, arg))
		perror("ioctl"), free(arg), exit(1);
	free(arg);
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);

	/* A child, created after the enable: it inherits the common handle. */
	pid = fork();
	if (pid == 0) {
		int f = open(path, O_CREAT | O_RDWR, 0600);

		if (f >= 0)
			close(f); /* the last reference: the kernel releases the file */
		_exit(f < 0);
	}
	waitpid(pid, &status, 0);
	/* Linux's example sleeps while USB work happens; here the release runs between syscalls. */
	for (i = 0; i < 200 && !__atomic_load_n(&cover[0], __ATOMIC_RELAXED); i++) {
		struct timespec ts = { 0, 5000000 };

		(void)!read(-1, NULL, 0);
		nanosleep(&ts, NULL);
	}

	/* Read the number of PCs collected. */
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	for (i = 0; i < n && i + 1 < COVER_SIZE; i++)
		printf("0x%lx\n", cover[i + 1]);
	if (ioctl(fd, KCOV_DISABLE, 0))
		perror("ioctl"), exit(1);
	if (munmap(cover, COVER_SIZE * sizeof(unsigned long)))
		perror("munmap"), exit(1);
	if (close(fd))
		perror("close"), exit(1);
	unlink(path);
	return 0;
}

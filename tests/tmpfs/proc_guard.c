/*
 * A walk that leaves the mount at argv[1] is finished by the supervisor on
 * the host: "/proc/self" there must be the guest (as on Linux), and nothing
 * of the supervisor's own /proc directory may be opened that way. Exit 0
 * pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char link[4096], target[64], buf[4096] = { 0 }, want[32];
	int fd, bad = 0;

	if (argc != 2)
		return 2;
	snprintf(link, sizeof(link), "%s/st", argv[1]);
	if (symlink("/proc/self/status", link))
		return perror("symlink"), 1;
	fd = open(link, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return perror("open /proc/self/status through the mount"), 1;
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	if (!strstr(buf, want)) {
		fprintf(stderr, "FAIL: /proc/self through the mount is not the guest (want%s)\n", want);
		bad = 1;
	}
	close(fd);
	/* The supervisor is the guest's parent. */
	snprintf(link, sizeof(link), "%s/pm", argv[1]);
	snprintf(target, sizeof(target), "/proc/%d/mem", getppid());
	if (symlink(target, link))
		return perror("symlink"), 1;
	fd = open(link, O_RDWR);
	if (fd >= 0 || errno != EXDEV) {
		fprintf(stderr, "FAIL: the supervisor's %s opened through the mount (fd %d, %s)\n", target, fd,
			strerror(errno));
		bad = 1;
	}
	return bad;
}

/*
 * Guest (--tmpfs=/mnt/t): an fd the guest gets at the top of its fd table
 * (F_DUPFD from the last fd number down, as a program that moves its fds out
 * of the way does) must stay usable, and a chdir into the mount must not
 * replace it. The sandbox keeps its cwd record there (fsctx.c): found by
 * make fuzz, a kcov fd dup'ed onto that number answered EBADF to everything,
 * and chdir replaced the guest's file silently. Now that number is never
 * free, and F_DUPFD answers the next free one or EMFILE, as Linux does with
 * a full table. Exit 0 pass, 1 fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int works(int fd, int rd)
{
	char c = 0;

	return write(fd, "x", 1) == 1 && read(rd, &c, 1) == 1 && c == 'x';
}

int main(void)
{
	struct rlimit rl;
	int p[2], fails = 0;

	if (getrlimit(RLIMIT_NOFILE, &rl) || pipe(p)) {
		perror("setup");
		return 1;
	}
	/* Every number from the top fd number down to the first that is free. */
	long top = rl.rlim_cur < 4096 ? (long)rl.rlim_cur : 4096;

	for (long lo = top - 1; lo >= top - 8 && lo > 2; lo--) {
		int fd = fcntl(p[1], F_DUPFD, (int)lo);

		if (fd < 0) {
			if (errno != EMFILE) {
				printf("F_DUPFD(%ld): %s\n", lo, strerror(errno));
				fails++;
			}
			continue;
		}
		if (!works(fd, p[0])) {
			printf("F_DUPFD(%ld) gave fd %d, which does not work: %s\n", lo, fd, strerror(errno));
			fails++;
		}
		if (chdir("/mnt/t") || !works(fd, p[0])) {
			printf("fd %d stopped working after chdir into the mount: %s\n", fd, strerror(errno));
			fails++;
		}
		if (chdir("/") || close(fd)) {
			printf("fd %d: chdir / or close: %s\n", fd, strerror(errno));
			fails++;
		}
	}
	printf("%s\n", fails ? "FAIL" : "ok");
	return fails != 0;
}

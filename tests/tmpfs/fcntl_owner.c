/*
 * Guest (--tmpfs=/mnt/t): fcntl's F_SETOWN/F_GETOWN(_EX)/F_SETSIG/F_GETSIG
 * and F_CREATED_QUERY on mount files answer as on Linux's tmpfs (the same
 * calls on /dev/shm, compared). They answered EINVAL. With argv[1]
 * "memfd" (a mount without its private store, where F_SETSIG of a signal
 * is EINVAL: fcntl_sig.c) the signal steps are left out. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef F_CREATED_QUERY
#define F_CREATED_QUERY 1028
#endif

static int memfd;

static int steps(const char *dir, long *out)
{
	char path[256];
	struct f_owner_ex ex = { F_OWNER_TID, gettid() }, got = { 0, 0 };
	int n = 0, fd, fd2;

	snprintf(path, sizeof(path), "%s/ukcov-fcntl-owner", dir);
	unlink(path);
	fd = open(path, O_CREAT | O_RDWR, 0644);
	out[n++] = fcntl(fd, F_CREATED_QUERY, 0);
	out[n++] = fcntl(fd, F_SETOWN, getpid());
	out[n++] = fcntl(fd, F_GETOWN) == getpid();
	out[n++] = memfd ? 0 : fcntl(fd, F_SETSIG, SIGUSR1);
	out[n++] = memfd ? 0 : fcntl(fd, F_GETSIG);
	out[n++] = fcntl(fd, F_SETSIG, 1000) < 0 ? -errno : 0;
	out[n++] = fcntl(fd, F_SETOWN_EX, &ex);
	out[n++] = fcntl(fd, F_GETOWN_EX, &got) || got.type != F_OWNER_TID || got.pid != gettid();
	fd2 = dup(fd);
	out[n++] = memfd ? 0 : fcntl(fd2, F_GETSIG); /* the description's, shared by dup */
	out[n++] = fcntl(fd2, F_CREATED_QUERY, 0);
	close(fd2);
	close(fd);
	fd = open(path, O_RDONLY);
	out[n++] = fcntl(fd, F_CREATED_QUERY, 0);
	out[n++] = fcntl(fd, F_GETSIG); /* a new description: 0 */
	close(fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	out[n++] = fcntl(fd, F_SETOWN, getpid());
	out[n++] = fcntl(fd, F_CREATED_QUERY, 0);
	close(fd);
	unlink(path);
	return n;
}

int main(int argc, char **argv)
{
	long l[32], u[32];
	int n, fails = 0;

	memfd = argc > 1 && !strcmp(argv[1], "memfd");
	n = steps("/dev/shm", l);

	if (steps("/mnt/t", u) != n)
		return puts("FAIL: step counts differ"), 1;
	for (int i = 0; i < n; i++)
		if (l[i] != u[i]) {
			printf("step %d: Linux %ld, ukcov %ld\n", i, l[i], u[i]);
			fails++;
		}
	printf("%d steps, %s\n", n, fails ? "FAIL" : "ok");
	return fails != 0;
}

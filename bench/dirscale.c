/*
 * dirscale DIR: directory operations in a directory of 100, 10,000 and
 * 100,000 entries (grown in place), per operation or per entry listed, so a
 * cost that grows with the directory shows as a ratio above 1 between the
 * sizes. Run on /dev/shm (Linux's tmpfs) and under `ukcov run --tmpfs`.
 *   lookup     stat() of an existing entry (spread over the directory)
 *   create     mknod(S_IFREG) of a new name + unlink (the directory's work,
 *              without the open file behind an open(O_CREAT))
 *   getdents   the whole listing, getdents64 with a 32 KiB buffer, per entry
 * Prints "op-N min median rounds" lines (ns).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 5
#define LOOKUPS 1000
#define CREATES 200

static char dir[4096];
static int dfd;

static int populate(int from, int to)
{
	char name[32];

	for (int i = from; i < to; i++) {
		snprintf(name, sizeof(name), "e%07d", i);
		if (mknodat(dfd, name, S_IFREG | 0644, 0))
			return perror(name), -1;
	}
	return 0;
}

static double lookups(int n)
{
	char name[32];
	struct stat st;
	double t = now_ns();

	for (int i = 0; i < LOOKUPS; i++) {
		snprintf(name, sizeof(name), "e%07d", (int)((long)i * 7919 % n));
		if (fstatat(dfd, name, &st, 0))
			return perror(name), 0;
	}
	return (now_ns() - t) / LOOKUPS;
}

static double creates(void)
{
	double t = now_ns();

	for (int i = 0; i < CREATES; i++) {
		if (mknodat(dfd, "new-entry", S_IFREG | 0644, 0) || unlinkat(dfd, "new-entry", 0))
			return perror("new-entry"), 0;
	}
	return (now_ns() - t) / CREATES;
}

static double listing(int n)
{
	static char buf[32768];
	double t = now_ns();
	long got, entries = 0;
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return 0;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got; entries++)
			off += ((struct dirent64 *)(buf + off))->d_reclen;
	}
	close(fd);
	t = now_ns() - t;
	if (entries != n + 2)
		return fprintf(stderr, "dirscale: listed %ld of %d\n", entries, n + 2), 0;
	return t / entries;
}

static void put(const char *op, int n, double *v)
{
	qsort(v, ROUNDS, sizeof(*v), bench_cmp);
	printf("%s-%d %.0f %.0f %d\n", op, n, v[0], v[ROUNDS / 2], ROUNDS);
}

int main(int argc, char **argv)
{
	const int sizes[] = { 100, 10000, 100000 };
	int have = 0;

	if (argc != 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s/dirscale.d", argv[1]);
	if (mkdir(dir, 0755) || (dfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
		return perror(dir), 1;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		double l[ROUNDS], c[ROUNDS], g[ROUNDS];

		if (populate(have, sizes[s]))
			return 1;
		have = sizes[s];
		for (int r = 0; r < ROUNDS; r++) {
			l[r] = lookups(have);
			c[r] = creates();
			g[r] = listing(have);
			if (!l[r] || !c[r] || !g[r])
				return 1;
		}
		put("lookup", have, l);
		put("create", have, c);
		put("getdents", have, g);
	}
	return 0;
}

/*
 * Work the kernel does between syscalls (releasing a file whose last fd was
 * closed) is charged to no thread: after learning what read(-1) executes,
 * open and close a file in the mount at argv[1] (its release runs before the
 * next syscall is served), then probe again: every PC must be one the probe
 * itself executes. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kcov_guest.h"

static unsigned long *cover, learnt[4096];
static unsigned long nlearnt;

static unsigned long probe(void)
{
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	(void)!read(-1, NULL, 0);
	return __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
}

static int known(unsigned long pc)
{
	for (unsigned long i = 0; i < nlearnt; i++)
		if (learnt[i] == pc)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	int bad = 0;

	if (argc != 2)
		return 2;
	cover = kcov_guest_start();
	for (int i = 0; i < 20; i++) {
		unsigned long n = probe();

		for (unsigned long j = 1; j <= n && nlearnt < 4096; j++)
			if (!known(cover[j]))
				learnt[nlearnt++] = cover[j];
	}
	snprintf(path, sizeof(path), "%s/released", argv[1]);
	for (int i = 0; i < 10; i++) {
		int f = open(path, O_CREAT | O_RDWR, 0644);

		if (f < 0 || write(f, "x", 1) != 1)
			return perror(path), 1;
		unlink(path); /* the last close now frees the inode too */
		close(f);
		unsigned long n = probe();
		for (unsigned long j = 1; j <= n; j++) {
			if (!known(cover[j])) {
				fprintf(stderr, "FAIL: probe after a release has PC %#lx, not the probe's\n", cover[j]);
				bad = 1;
			}
		}
	}
	return bad;
}

/*
 * A kcov client exploring a tmpfs mounted at argv[1]: prints, per probe, the
 * PCs the kernel executed for one syscall ("NAME count pc pc ..."), so that
 * tests/tmpfs/test_kcov_paths.sh can compare a shallow path walk with a deep
 * one and a successful lookup with a failing one.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kcov_guest.h"

static unsigned long *cover;

static void probe(const char *name, const char *path)
{
	struct stat st;
	unsigned long n;

	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	stat(path, &st);
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	printf("%s %lu", name, n);
	for (unsigned long i = 0; i < n; i++)
		printf(" 0x%lx", cover[i + 1]);
	printf("\n");
}

int main(int argc, char **argv)
{
	char p[4096];

	if (argc != 2)
		return 2;
	cover = kcov_guest_start();
	snprintf(p, sizeof(p), "%s/a", argv[1]);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b", argv[1]);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b/c", argv[1]);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b/c/d", argv[1]);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a", argv[1]);
	probe("shallow", p);
	snprintf(p, sizeof(p), "%s/a/b/c/d", argv[1]);
	probe("deep", p);
	snprintf(p, sizeof(p), "%s/a/nonexistent", argv[1]);
	probe("enoent", p);
	snprintf(p, sizeof(p), "%s/a/b", argv[1]);
	probe("found", p);
	return 0;
}

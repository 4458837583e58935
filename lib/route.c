// SPDX-License-Identifier: MIT
/*
 * Routing for embedders that see a guest only from outside (a ptrace tracer,
 * a seccomp supervisor that lets the host kernel hold the guest's fds): the
 * guest's kcov fd is the memfd the library made, installed in the guest, so
 * the host kernel does dup, fork, fd passing and close without telling
 * anyone. What identifies the kcov is the memfd's (device, inode), read
 * through /proc; what keeps it alive is any fd or mapping of it that a guest
 * process still holds, read through /proc too.
 *
 * Built without instrumentation, like the rest of lib/.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <ukcov/ukcov.h>

#include "route.h"

int ukcov_kcov_find_fd(pid_t pid, int fd, struct ukcov_kcov **out)
{
	char path[64];
	struct stat st;

	if (fd < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	if (stat(path, &st))
		return errno == ENOENT ? -EBADF : -errno;
	*out = ukcov_kcov_find(st.st_dev, st.st_ino);
	return *out ? 0 : -ENOENT;
}

static void mark(struct ukcov_kcov_id *ids, size_t n, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i].dev == dev && ids[i].ino == ino)
			ids[i].held = true;
}

/*
 * The fds of `pid`. Only links to memfds are stat()ed: the memfd's link
 * reads "/memfd:kcov (deleted)" whoever opened it. A process that is gone
 * (or never was) holds nothing.
 */
static void scan_fds(pid_t pid, struct ukcov_kcov_id *ids, size_t n)
{
	char path[64], link[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		struct stat st;
		ssize_t len;

		if (d->d_name[0] == '.')
			continue;
		len = readlinkat(dirfd(dir), d->d_name, link, sizeof(link) - 1);
		if (len < 7 || memcmp(link, "/memfd:", 7))
			continue;
		if (!fstatat(dirfd(dir), d->d_name, &st, 0))
			mark(ids, n, st.st_dev, st.st_ino);
	}
	closedir(dir);
}

/* The mappings of `pid`: /proc/PID/maps gives each one's device (hex major:minor) and inode. */
static void scan_maps(pid_t pid, struct ukcov_kcov_id *ids, size_t n)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		unsigned int major, minor;
		unsigned long long ino;

		if (!strstr(line, "/memfd:") ||
		    sscanf(line, "%*s %*s %*s %x:%x %llu", &major, &minor, &ino) != 3)
			continue;
		mark(ids, n, makedev(major, minor), ino);
	}
	free(line);
	fclose(f);
}

int ukcov_kcov_sweep(const pid_t *pids, size_t npids)
{
	struct ukcov_kcov_id *ids = NULL;
	size_t n = ukcov_kcov_handed_ids(NULL, 0), got;
	int released = 0;

	if (!n)
		return 0;
	ids = calloc(n, sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	/* Fewer now if the embedder closed some meanwhile; never more than we allocated. */
	got = ukcov_kcov_handed_ids(ids, n);
	if (got < n)
		n = got;
	for (size_t p = 0; p < npids; p++) {
		scan_fds(pids[p], ids, n);
		scan_maps(pids[p], ids, n);
	}
	for (size_t i = 0; i < n; i++)
		if (!ids[i].held && ukcov_kcov_release_handed(ids[i].dev, ids[i].ino))
			released++;
	free(ids);
	return released;
}

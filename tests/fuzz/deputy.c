// SPDX-License-Identifier: MIT
/*
 * The libFuzzer harness's deputy oracle (docs/security.md): the supervisor
 * acts on host objects for a task only as far as the task's own identity
 * lets it. In the jail (fuzz_syscalls.c), each input starts with a host
 * fixture the name table reaches ("/h", "/h/x", also through symlinks and
 * ".." out of the mount): "/" and "/h" root's 0755 directories, "/h/x" a
 * root 0600 file. A finding, after a call by a task whose fsuid is not 0:
 *   - a host object that was root's and closed to others (no write bit for
 *     group or others) changed what only its owner or a writer may change:
 *     mode, owner, group, size, mtime (a directory's entries: its mtime);
 *   - an fd the supervisor installed for it is a host file the task may
 *     not open that way (its fsuid, fsgid and the process's groups: no
 *     file capability is effective at a non-zero fsuid).
 * A task with fsuid 0 may do anything; the fixture is made afresh for each
 * input.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define FAIL(...) do { fprintf(stderr, "ukcov-fuzz DEPUTY: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static const char *const watched[] = { "/", "/h", "/h/x" };
#define NWATCHED (sizeof(watched) / sizeof(watched[0]))

static struct stat before[NWATCHED];
static bool present[NWATCHED];
static bool active;

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

void deputy_fixture_reset(bool jailed)
{
	int fd;

	active = jailed;
	if (!active)
		return;
	/* What a root task left there goes: the fixture is the same for every input. */
	if ((nftw("/h", remove_one, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT) || mkdir("/h", 0755) ||
	    chmod("/h", 0755))
		FAIL("cannot make the fixture /h: %s", strerror(errno));
	fd = open("/h/x", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "root's\n", 7) != 7 || fchmod(fd, 0600) || close(fd))
		FAIL("cannot make the fixture /h/x: %s", strerror(errno));
}

void deputy_before(void)
{
	for (size_t i = 0; active && i < NWATCHED; i++)
		present[i] = !lstat(watched[i], &before[i]);
}

/* The task's fsuid and fsgid (/proc/TID/status: Uid and Gid, the fourth of each). */
static int task_fsids(pid_t tid, uid_t *fsuid, gid_t *fsgid)
{
	char path[64], buf[4096], *u, *g;
	unsigned long f[4];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	u = strstr(buf, "\nUid:");
	g = strstr(buf, "\nGid:");
	if (!u || !g || sscanf(u + 5, "%lu %lu %lu %lu", &f[0], &f[1], &f[2], &f[3]) != 4)
		return -1;
	*fsuid = (uid_t)f[3];
	if (sscanf(g + 5, "%lu %lu %lu %lu", &f[0], &f[1], &f[2], &f[3]) != 4)
		return -1;
	*fsgid = (gid_t)f[3];
	return 0;
}

static bool closed(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

static bool in_group(gid_t fsgid, gid_t gid)
{
	gid_t groups[256];
	int n = getgroups(256, groups);

	if (gid == fsgid)
		return true;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* generic_permission() without capabilities: may fsuid/fsgid open st for acc? */
static bool may_open(const struct stat *st, uid_t fsuid, gid_t fsgid, int acc)
{
	mode_t m = st->st_uid == fsuid ? st->st_mode >> 6 :
		   in_group(fsgid, st->st_gid) ? st->st_mode >> 3 : st->st_mode;

	if (acc != O_WRONLY && !(m & 4))
		return false;
	return acc == O_RDONLY || (m & 2);
}

void deputy_after(pid_t tid, const char *call, int installed)
{
	struct stat now, st, root;
	uid_t fsuid;
	gid_t fsgid;

	if (!active || task_fsids(tid, &fsuid, &fsgid) || fsuid == 0)
		return;
	if (!call)
		call = "a call";
	for (size_t i = 0; i < NWATCHED; i++) {
		const struct stat *b = &before[i];

		if (!present[i] || !closed(b) || lstat(watched[i], &now))
			continue;
		if (now.st_mode != b->st_mode || now.st_uid != b->st_uid || now.st_gid != b->st_gid ||
		    (!S_ISDIR(b->st_mode) && now.st_size != b->st_size) ||
		    now.st_mtim.tv_sec != b->st_mtim.tv_sec || now.st_mtim.tv_nsec != b->st_mtim.tv_nsec)
			FAIL("%s by a task at fsuid %u changed root's %s (mode %o -> %o, size %lld -> %lld)",
			     call, fsuid, watched[i], b->st_mode, now.st_mode, (long long)b->st_size,
			     (long long)now.st_size);
	}
	/* An installed host file (the jail's file system, not the mount's placeholder or store). */
	if (installed < 0 || fstat(installed, &st) || lstat("/", &root) || st.st_dev != root.st_dev ||
	    !S_ISREG(st.st_mode))
		return;
	int acc = fcntl(installed, F_GETFL) & O_ACCMODE;

	if (!may_open(&st, fsuid, fsgid, acc))
		FAIL("%s by a task at fsuid %u fsgid %u got a host file (owner %u, mode %o) open for %s",
		     call, fsuid, fsgid, st.st_uid, st.st_mode & 07777,
		     acc == O_RDONLY ? "reading" : acc == O_WRONLY ? "writing" : "reading and writing");
}

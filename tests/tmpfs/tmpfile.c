/*
 * Guest (--tmpfs=/mnt/t): O_TMPFILE files as Linux's tmpfs makes them, run
 * in the mount and in a fresh directory of the host's /dev/shm, transcripts
 * compared: an unnamed inode (nlink 0, an inode of nr_inodes' space),
 * named by linkat(2) through /proc/self/fd/N with AT_SYMLINK_FOLLOW (EXDEV
 * without: the magic link itself is procfs's) or with AT_EMPTY_PATH, once
 * only when O_EXCL forbids it; freed with its last fd; its /proc/self/fd
 * link reads "DIR/#INO (deleted)" until then. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "two_sides.h"

static char out[2][4096];
static size_t outlen[2];

static void say(int side, const char *what, long r)
{
	outlen[side] += (size_t)snprintf(out[side] + outlen[side], sizeof(out[side]) - outlen[side],
					 "%s: %ld\n", what, r < 0 ? -errno : r);
}

/*
 * An inode count: the mount's own; the host's /dev/shm is shared with every
 * other process of the machine, so its side prints Linux's known answer
 * (shmem_reserve_inode(): one inode for the file, given back at its end).
 */
static void say_inodes(int side, const char *what, long delta)
{
	say(side, what, side ? delta : 1);
}

static long ffree(const char *dir)
{
	struct statfs sf;

	return statfs(dir, &sf) ? -1 : (long)sf.f_ffree;
}

/* readlink of /proc/self/fd/N: "DIR/#INO (deleted)" (shmem's d_tmpfile() name), 1 when so */
static long proc_link_is(int fd, const char *dir)
{
	char proc[64], want[600], got[600];
	struct stat st;
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, got, sizeof(got) - 1);
	if (n < 0 || fstat(fd, &st))
		return -1;
	got[n] = '\0';
	snprintf(want, sizeof(want), "%s/#%llu (deleted)", dir, (unsigned long long)st.st_ino);
	return !strcmp(got, want);
}

static void run(int side, const char *dir)
{
	char proc[64], p[512];
	struct stat st;
	long before = ffree(dir);
	int fd = open(dir, O_TMPFILE | O_RDWR, 0640), x;

	say(side, "open O_TMPFILE", fd < 0 ? -1 : 0);
	say_inodes(side, "inodes taken", before - ffree(dir));
	say(side, "write", write(fd, "abc", 3));
	say(side, "/proc/self/fd/N reads DIR/#INO (deleted)", proc_link_is(fd, dir));
	say(side, "fstat", fstat(fd, &st) ? -1 : (long)st.st_nlink * 1000 + st.st_size);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(p, sizeof(p), "%s/nofollow", dir);
	say(side, "linkat /proc/self/fd/N", linkat(AT_FDCWD, proc, AT_FDCWD, p, 0));
	snprintf(p, sizeof(p), "%s/viaproc", dir);
	say(side, "linkat /proc/self/fd/N AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, proc, AT_FDCWD, p, AT_SYMLINK_FOLLOW));
	say(side, "stat", stat(p, &st) ? -1 : (long)st.st_nlink * 1000 + st.st_size);
	snprintf(p, sizeof(p), "%s/empty", dir);
	say(side, "linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, p, AT_EMPTY_PATH));
	say(side, "fstat", fstat(fd, &st) ? -1 : (long)st.st_nlink * 1000 + st.st_size);
	close(fd);
	x = open(dir, O_TMPFILE | O_WRONLY | O_EXCL, 0600);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", x);
	snprintf(p, sizeof(p), "%s/excl", dir);
	say(side, "O_EXCL: linkat /proc/self/fd/N AT_SYMLINK_FOLLOW", linkat(AT_FDCWD, proc, AT_FDCWD, p, AT_SYMLINK_FOLLOW));
	before = ffree(dir);
	close(x);
	say_inodes(side, "inodes given back by the last close", ffree(dir) - before);
	say(side, "O_TMPFILE|O_RDONLY", open(dir, O_TMPFILE | O_RDONLY, 0600));
	snprintf(p, sizeof(p), "%s/viaproc", dir);
	say(side, "O_TMPFILE on a file", open(p, O_TMPFILE | O_RDWR, 0600));
}

int main(void)
{
	char host[] = "/dev/shm/ukcov-tmpfile.XXXXXX";

	if (!mkdtemp(host)) {
		printf("skip: no /dev/shm\n");
		return 77;
	}
	run(0, host);
	run(1, "/mnt/t");
	if (two_sides_compare(host, out[0], out[1]))
		return 1;
	printf("%sok\n", out[0]);
	return 0;
}

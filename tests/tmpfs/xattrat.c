/*
 * Guest (--tmpfs=/mnt/t): the *xattrat calls of Linux 6.13 (struct
 * xattr_args, AT_EMPTY_PATH on the dirfd, AT_SYMLINK_NOFOLLOW, their
 * argument checks) and the f*xattr calls on an open FIFO (a node whose fd
 * is the host's object), run in the mount and in a fresh directory of the
 * host's /dev/shm, transcripts compared. Exit 0 pass, 1 fail, 77 when the
 * host has no *xattrat calls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "two_sides.h"

#define NR_SETXATTRAT 463
#define NR_GETXATTRAT 464
#define NR_LISTXATTRAT 465
#define NR_REMOVEXATTRAT 466

struct xargs {
	uint64_t value;
	uint32_t size, flags;
};

static char out[2][8192];
static size_t outlen[2];
static int side;

static void say(const char *what, long r, const char *buf)
{
	outlen[side] += (size_t)snprintf(out[side] + outlen[side], sizeof(out[side]) - outlen[side],
					 "%s: %ld", what, r < 0 ? -errno : r);
	for (long i = 0; buf && i < r; i++)
		outlen[side] += (size_t)snprintf(out[side] + outlen[side], sizeof(out[side]) - outlen[side],
						 "%c", buf[i] ? buf[i] : '|');
	outlen[side] += (size_t)snprintf(out[side] + outlen[side], sizeof(out[side]) - outlen[side], "\n");
}

static long setat(int dfd, const char *p, int at, const char *name, const char *v, int flags, size_t usize)
{
	struct { struct xargs a; char pad[16]; } big = { { (uint64_t)(uintptr_t)v, (uint32_t)strlen(v), (uint32_t)flags }, { 0 } };

	return syscall(NR_SETXATTRAT, dfd, p, at, name, &big, usize);
}

static long getat(int dfd, const char *p, int at, const char *name, char *buf, size_t size, int flags)
{
	struct xargs a = { (uint64_t)(uintptr_t)buf, (uint32_t)size, (uint32_t)flags };

	return syscall(NR_GETXATTRAT, dfd, p, at, name, &a, sizeof(a));
}

static void run(const char *dir)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY), f, fifo, op;
	char buf[256], p[512];

	close(openat(d, "f", O_CREAT | O_WRONLY, 0644));
	symlinkat("f", d, "l");
	say("setxattrat", setat(d, "f", 0, "user.a", "A", 0, sizeof(struct xargs)), NULL);
	say("setxattrat usize 8", setat(d, "f", 0, "user.a", "A", 0, 8), NULL);
	say("setxattrat usize 4097", setat(d, "f", 0, "user.a", "A", 0, 4097), NULL);
	say("setxattrat usize 24", setat(d, "f", 0, "user.b", "B", 0, 24), NULL);
	say("setxattrat bad at_flags", setat(d, "f", 0x4000, "user.a", "A", 0, 16), NULL);
	say("setxattrat XATTR_CREATE", setat(d, "f", 0, "user.a", "A", XATTR_CREATE, 16), NULL);
	say("setxattrat nofollow symlink user.", setat(d, "l", AT_SYMLINK_NOFOLLOW, "user.l", "L", 0, 16), NULL);
	say("setxattrat nofollow symlink trusted.", setat(d, "l", AT_SYMLINK_NOFOLLOW, "trusted.l", "L", 0, 16), NULL);
	say("getxattrat", getat(d, "f", 0, "user.a", buf, sizeof(buf), 0), buf);
	say("getxattrat flags", getat(d, "f", 0, "user.a", buf, sizeof(buf), 1), NULL);
	say("getxattrat via symlink", getat(d, "l", 0, "user.b", buf, sizeof(buf), 0), buf);
	say("listxattrat", syscall(NR_LISTXATTRAT, d, "f", 0, buf, sizeof(buf)), buf);
	say("listxattrat nofollow", syscall(NR_LISTXATTRAT, d, "l", AT_SYMLINK_NOFOLLOW, buf, sizeof(buf)), buf);
	f = openat(d, "f", O_RDONLY);
	say("getxattrat AT_EMPTY_PATH", getat(f, "", AT_EMPTY_PATH, "user.b", buf, sizeof(buf), 0), buf);
	say("getxattrat NULL path", getat(f, NULL, AT_EMPTY_PATH, "user.b", buf, sizeof(buf), 0), buf);
	say("getxattrat empty without AT_EMPTY_PATH", getat(f, "", 0, "user.b", buf, sizeof(buf), 0), NULL);
	say("setxattrat AT_EMPTY_PATH", setat(f, "", AT_EMPTY_PATH, "user.c", "C", 0, 16), NULL);
	say("removexattrat", syscall(NR_REMOVEXATTRAT, d, "f", 0, "user.a"), NULL);
	say("removexattrat AT_EMPTY_PATH", syscall(NR_REMOVEXATTRAT, f, "", AT_EMPTY_PATH, "user.b"), NULL);
	say("removexattrat missing", syscall(NR_REMOVEXATTRAT, f, "", AT_EMPTY_PATH, "user.b"), NULL);
	say("listxattrat AT_EMPTY_PATH", syscall(NR_LISTXATTRAT, f, "", AT_EMPTY_PATH, buf, sizeof(buf)), buf);
	op = openat(d, "f", O_PATH);
	say("getxattrat O_PATH AT_EMPTY_PATH", getat(op, "", AT_EMPTY_PATH, "user.c", buf, sizeof(buf), 0), buf);
	say("fgetxattr O_PATH", fgetxattr(op, "user.c", buf, sizeof(buf)), NULL);
	say("getxattrat bad fd", getat(999, "", AT_EMPTY_PATH, "user.c", buf, sizeof(buf), 0), NULL);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	mkfifo(p, 0644);
	fifo = open(p, O_RDWR);
	say("fsetxattr fifo trusted.", fsetxattr(fifo, "trusted.q", "Q", 1, 0), NULL);
	say("fsetxattr fifo user.", fsetxattr(fifo, "user.q", "Q", 1, 0), NULL);
	say("fgetxattr fifo", fgetxattr(fifo, "trusted.q", buf, sizeof(buf)), buf);
	say("flistxattr fifo", flistxattr(fifo, buf, sizeof(buf)), buf);
	say("fremovexattr fifo", fremovexattr(fifo, "trusted.q"), NULL);
	say("getxattr fifo by path", getxattr(p, "trusted.q", buf, sizeof(buf)), NULL);
	close(fifo), close(op), close(f), close(d);
}

int main(void)
{
	char host[] = "/dev/shm/ukcov-xattrat.XXXXXX";

	if (syscall(NR_LISTXATTRAT, AT_FDCWD, "/", 0, NULL, 0) < 0 && errno == ENOSYS) {
		printf("skip: no *xattrat calls on this kernel\n");
		return 77;
	}
	if (!mkdtemp(host)) {
		printf("skip: no /dev/shm\n");
		return 77;
	}
	run(host);
	side = 1;
	run("/mnt/t");
	if (two_sides_compare(host, out[0], out[1]))
		return 1;
	printf("%sok\n", out[0]);
	return 0;
}

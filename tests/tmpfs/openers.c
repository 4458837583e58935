/*
 * Many openers of one file, in a directory argv[1], printed as a transcript
 * that must be the same on Linux's tmpfs (/dev/shm) and under `ukcov run
 * --tmpfs` (test_openers.sh): NCHILD processes, each with credentials of
 * its own (uid 1000+i, no capabilities), open the same file O_NOFOLLOW,
 * keep the description, and pass it to the next one over a Unix socket.
 * linkat(AT_EMPTY_PATH) of a description is allowed to its opener's
 * credentials only (Linux 6.10+ compares f_cred): each child's own link
 * works, the previous child's description gives ENOENT, and F_GETFL shows
 * O_NOFOLLOW, for every child, however many opened the file.
 * Exit 0 when every step ran (the transcript is the check), 1 otherwise,
 * 77 when not root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NCHILD 24

static char dir[4000];

static const char *path(const char *fmt, int i)
{
	static char buf[2][4200];
	static int n;
	char name[64];

	snprintf(name, sizeof(name), fmt, i);
	n ^= 1;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", dir, name);
	return buf[n];
}

static int send_fd(int sock, int fd)
{
	char c = 'f', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			      .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1 || !(cm = CMSG_FIRSTHDR(&msg)) || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Exit status: bit 0 own link ok, 1 O_NOFOLLOW shown, 2 the previous one's ENOENT, 3 it linked. */
static void child(int i, int (*socks)[2])
{
	int fd, prev, st = 0, r;

	if (setgroups(0, NULL) || setresgid(2000 + i, 2000 + i, 2000 + i) ||
	    setresuid(1000 + i, 1000 + i, 1000 + i))
		_exit(64);
	fd = open(path("f", 0), O_RDWR | O_NOFOLLOW);
	if (fd < 0)
		_exit(65);
	st |= !linkat(fd, "", AT_FDCWD, path("own%d", i), AT_EMPTY_PATH) ? 1 : 0;
	st |= fcntl(fd, F_GETFL) & O_NOFOLLOW ? 2 : 0;
	if (send_fd(socks[i][0], fd))
		_exit(66);
	prev = recv_fd(socks[(i + NCHILD - 1) % NCHILD][1]);
	if (prev < 0)
		_exit(67);
	r = linkat(prev, "", AT_FDCWD, path("prev%d", i), AT_EMPTY_PATH);
	st |= r < 0 && errno == ENOENT ? 4 : 0;
	st |= r == 0 ? 8 : 0;
	_exit(st);
}

int main(int argc, char **argv)
{
	int socks[NCHILD][2], fd, broken = 0;
	pid_t pids[NCHILD];

	if (argc != 2)
		return 2;
	if (geteuid())
		return 77;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	chmod(dir, 01777);
	fd = open(path("f", 0), O_RDWR | O_CREAT | O_TRUNC, 0666);
	if (fd < 0 || fchmod(fd, 0666))
		return 1;
	for (int i = 0; i < NCHILD; i++)
		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, socks[i]))
			return 1;
	for (int i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		if (!pids[i])
			child(i, socks);
	}
	for (int i = 0; i < NCHILD; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) != pids[i] || !WIFEXITED(st) || WEXITSTATUS(st) >= 64) {
			printf("child %d: broken (%d)\n", i, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
			broken = 1;
			continue;
		}
		st = WEXITSTATUS(st);
		printf("child %d: own description linked %d, F_GETFL O_NOFOLLOW %d, "
		       "the previous child's: %s\n", i, st & 1, !!(st & 2),
		       st & 4 ? "-ENOENT" : st & 8 ? "linked" : "other error");
		unlink(path("own%d", i));
		unlink(path("prev%d", i));
	}
	close(fd);
	unlink(path("f", 0));
	return broken;
}

// SPDX-License-Identifier: MIT
/* The oracle's transport and its process: see oracle.h. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oracle.h"

/* a datagram: well under the socket's default send buffer (208 KiB) */
#define CHUNK (32 << 10)
/* a reply that takes longer means the oracle is gone: AFL++'s timeout is 5 s */
#define REPLY_TIMEOUT_S 20
/* more than any input or transcript: a hostile peer cannot make us take all memory */
#define MESSAGE_MAX (4u << 20)

struct chunk_hdr {
	uint64_t tag;
	int32_t arg;
	uint32_t last;
};

int oracle_fd(void)
{
	const char *v = getenv(ORACLE_ENV);
	char *end;
	long fd;
	int low;

	if (!v || !*v)
		return -1;
	fd = strtol(v, &end, 10);
	if (*end || fd < 0 || fd > 1 << 20)
		return -1;
	/*
	 * To the lowest free slot: the fds above the guest's own are the
	 * scripts', closed after each side (a hole below it would be too).
	 */
	low = fcntl((int)fd, F_DUPFD_CLOEXEC, 0);
	if (low < 0)
		return (int)fd;
	close(low < fd ? (int)fd : low);
	return low < fd ? low : (int)fd;
}

int oracle_send(int fd, uint64_t tag, int32_t arg, const char *data, size_t len)
{
	static char buf[sizeof(struct chunk_hdr) + CHUNK];
	size_t off = 0;

	do {
		size_t n = len - off > CHUNK ? CHUNK : len - off;
		struct chunk_hdr h = { tag, arg, off + n == len };

		memcpy(buf, &h, sizeof(h));
		memcpy(buf + sizeof(h), data + off, n);
		while (send(fd, buf, sizeof(h) + n, MSG_NOSIGNAL) < 0)
			if (errno != EINTR)
				return -errno;
		off += n;
	} while (off < len);
	return 0;
}

/* appends a chunk's payload; 0 or -ENOMEM */
static int append(char **data, size_t *len, const char *p, size_t n)
{
	char *d = realloc(*data, *len + n + 1);

	if (!d)
		return -ENOMEM;
	memcpy(d + *len, p, n);
	*len += n;
	d[*len] = 0;
	*data = d;
	return 0;
}

int oracle_recv(int fd, uint64_t *tag, int32_t *arg, char **data, size_t *len)
{
	static char buf[sizeof(struct chunk_hdr) + CHUNK];
	struct chunk_hdr h;
	uint64_t want = *tag, cur = 0;
	ssize_t n;
	int r;

	*data = NULL;
	*len = 0;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? (errno == EAGAIN ? -ETIMEDOUT : -errno) : -ECONNRESET;
		if ((size_t)n < sizeof(h))
			continue;
		memcpy(&h, buf, sizeof(h));
		if (want && h.tag != want)
			continue; /* a killed child's reply */
		if (h.tag != cur) { /* a new message: a half-sent one is dropped */
			cur = h.tag;
			*len = 0;
		}
		if (*len > MESSAGE_MAX)
			return -EMSGSIZE;
		if ((r = append(data, len, buf + sizeof(h), (size_t)n - sizeof(h))) < 0)
			return r;
		if (h.last) {
			*tag = cur;
			*arg = h.arg;
			return 0;
		}
	}
}

uint64_t oracle_tag(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (((uint64_t)getpid() << 40) ^ ((uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec)) |
	       1;
}

static pid_t cmd_pid;

static void pass_on(int sig)
{
	if (cmd_pid > 0)
		kill(cmd_pid, sig);
}

static int wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * The mounts a script makes on the /dev/shm side are real ones: in a
 * private copy of the mount namespace they never propagate to the host's,
 * and they die with the last process of the run, whatever the clean-up
 * (scratch.c) missed. Without one (no CAP_SYS_ADMIN, no CLONE_NEWNS) the
 * vocabulary leaves mount and umount2 out.
 */
static void private_mounts(void)
{
	unsetenv(MOUNTS_ENV);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fprintf(stderr, "ukcov-fuzz-guest: no private mount namespace (%s): "
				"mount(2) and umount2(2) are left out of this run\n", strerror(errno));
		return;
	}
	setenv(MOUNTS_ENV, "1", 1);
}

int oracle_wrap(char **argv, int (*serve)(int fd))
{
	struct timeval tmo = { REPLY_TIMEOUT_S, 0 };
	char num[16];
	pid_t server;
	int sv[2], rc;

	private_mounts();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0 ||
	    setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) < 0)
		return 127;
	if ((server = fork()) < 0)
		return 127;
	if (server == 0) {
		close(sv[1]);
		_exit(serve(sv[0]));
	}
	close(sv[0]);
	snprintf(num, sizeof(num), "%d", sv[1]);
	setenv(ORACLE_ENV, num, 1);
	if ((cmd_pid = fork()) < 0)
		return 127;
	if (cmd_pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	signal(SIGINT, pass_on);
	signal(SIGTERM, pass_on);
	rc = wait_for(cmd_pid);
	/* every copy of the guest's end shares this socket: the server sees its end */
	shutdown(sv[1], SHUT_RDWR);
	wait_for(server);
	return rc;
}

/*
 * Unix sockets named by paths in a directory (argv[1]): the same program
 * passes on Linux's tmpfs (/dev/shm) and under `ukcov run --tmpfs`.
 *   - bind makes a socket node (umask applies); EADDRINUSE when the name
 *     exists; binding a bound socket is EINVAL and leaves no node;
 *   - a stream pair through the path across fork(), after a rename too;
 *     getsockname/getpeername give the path bound;
 *   - ECONNREFUSED for a socket node nobody bound, a regular file, a
 *     closed listener; ENOENT for a missing name;
 *   - datagrams sent to a path (sendto, sendmsg, connect + send); a
 *     blocking send to a full receiver waits until it reads.
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;
static char dir[4096];

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fprintf(stderr, " (errno %s)\n", strerror(errno));   \
			fails++;                                             \
		}                                                            \
	} while (0)

static socklen_t addr(const char *name, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir, name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sun->sun_path) + 1);
}

static int sock_at(int type, const char *name, int op)
{
	struct sockaddr_un sun;
	socklen_t len = addr(name, &sun);
	int s = socket(AF_UNIX, type, 0);

	if (s < 0)
		return -1;
	if ((op ? connect : bind)(s, (struct sockaddr *)&sun, len)) {
		int e = errno;

		close(s);
		errno = e;
		return -1;
	}
	return s;
}

static const char *path(const char *name)
{
	static _Thread_local char buf[2][4200];
	static _Thread_local int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void stream_pair(void)
{
	struct sockaddr_un sun, got;
	socklen_t len, glen = sizeof(got);
	struct stat st;
	char buf[8] = { 0 };
	int srv, s2, c, st_;
	pid_t pid;

	umask(022);
	srv = sock_at(SOCK_STREAM, "s", 0);
	CHECK(srv >= 0, "bind");
	CHECK(stat(path("s"), &st) == 0 && S_ISSOCK(st.st_mode) && (st.st_mode & 0777) == 0755,
	      "socket node %o", st.st_mode);
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "s", 0) == -1 && errno == EADDRINUSE, "EADDRINUSE");
	len = addr("again", &sun);
	errno = 0;
	CHECK(bind(srv, (struct sockaddr *)&sun, len) == -1 && errno == EINVAL, "rebind: EINVAL");
	CHECK(stat(path("again"), &st) == -1 && errno == ENOENT, "no node left by the failed bind");
	CHECK(getsockname(srv, (struct sockaddr *)&got, &glen) == 0 && glen == addr("s", &sun) &&
	      !strcmp(got.sun_path, sun.sun_path), "getsockname: %s (%u)", got.sun_path, glen);
	CHECK(listen(srv, 4) == 0, "listen");
	CHECK(rename(path("s"), path("s2")) == 0, "rename");
	pid = fork();
	if (pid == 0) {
		int fd = sock_at(SOCK_STREAM, "s2", 1);
		char b[5] = { 0 };

		if (fd < 0 || write(fd, "ping", 4) != 4 || read(fd, b, 4) != 4 || strcmp(b, "pong"))
			_exit(1);
		glen = sizeof(got);
		if (getpeername(fd, (struct sockaddr *)&got, &glen) || strcmp(got.sun_path, path("s")))
			_exit(2);
		_exit(0);
	}
	c = accept(srv, NULL, NULL);
	CHECK(c >= 0, "accept");
	CHECK(read(c, buf, 4) == 4 && !strcmp(buf, "ping"), "read %s", buf);
	CHECK(write(c, "pong", 4) == 4, "write");
	CHECK(waitpid(pid, &st_, 0) == pid && WIFEXITED(st_) && !WEXITSTATUS(st_), "client %#x", st_);
	close(c);
	/* The listener closes: its name stays, nobody answers. */
	close(srv);
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "s2", 1) == -1 && errno == ECONNREFUSED, "closed listener");
	CHECK(unlink(path("s2")) == 0, "unlink");
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "s2", 1) == -1 && errno == ENOENT, "unlinked: ENOENT");
	/* The name is free again. */
	s2 = sock_at(SOCK_STREAM, "s2", 0);
	CHECK(s2 >= 0, "bind the name again");
	close(s2);
	unlink(path("s2"));
}

static void refused(void)
{
	int fd;

	CHECK(mknod(path("node"), S_IFSOCK | 0666, 0) == 0, "mknod");
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "node", 1) == -1 && errno == ECONNREFUSED, "unbound node");
	fd = open(path("file"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "file", 1) == -1 && errno == ECONNREFUSED, "regular file");
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "missing", 1) == -1 && errno == ENOENT, "missing");
	errno = 0;
	CHECK(sock_at(SOCK_STREAM, "file/x", 1) == -1 && errno == ENOTDIR, "ENOTDIR");
	unlink(path("node"));
	unlink(path("file"));
}

static void datagrams(void)
{
	struct sockaddr_un sun;
	socklen_t len = addr("d", &sun);
	int r = sock_at(SOCK_DGRAM, "d", 0), s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct iovec iov = { "two", 3 };
	struct msghdr msg = { .msg_name = &sun, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1 };
	char buf[8] = { 0 };

	CHECK(r >= 0 && s >= 0, "dgram sockets");
	CHECK(sendto(s, "one", 3, 0, (struct sockaddr *)&sun, len) == 3, "sendto");
	CHECK(recv(r, buf, sizeof(buf), 0) == 3 && !memcmp(buf, "one", 3), "recv one");
	CHECK(sendmsg(s, &msg, 0) == 3, "sendmsg");
	CHECK(recv(r, buf, sizeof(buf), 0) == 3 && !memcmp(buf, "two", 3), "recv two");
	CHECK(connect(s, (struct sockaddr *)&sun, len) == 0 && send(s, "3", 1, 0) == 1, "connect, send");
	CHECK(recv(r, buf, sizeof(buf), 0) == 1 && buf[0] == '3', "recv three");
	close(r);
	close(s);
	unlink(path("d"));
}

static atomic_long sent = -2;
static int full_sender;

static void *blocking_send(void *arg)
{
	struct sockaddr_un sun;
	socklen_t len = addr("q", &sun);

	(void)arg;
	atomic_store(&sent, sendto(full_sender, "last", 4, 0, (struct sockaddr *)&sun, len));
	return NULL;
}

/* A blocking send to a full receiver waits until it reads (in a helper under ukcov). */
static void full_receiver(void)
{
	struct sockaddr_un sun;
	socklen_t len = addr("q", &sun);
	int r = sock_at(SOCK_DGRAM, "q", 0), n = 0;
	char buf[8];
	pthread_t t;

	full_sender = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK(r >= 0 && full_sender >= 0, "dgram sockets");
	while (n < 100000 && sendto(full_sender, "x", 1, MSG_DONTWAIT, (struct sockaddr *)&sun, len) == 1)
		n++;
	CHECK(errno == EAGAIN && n > 0, "filled after %d datagrams", n);
	pthread_create(&t, NULL, blocking_send, NULL);
	usleep(100000);
	CHECK(atomic_load(&sent) == -2, "a send to a full receiver returned %ld", atomic_load(&sent));
	CHECK(recv(r, buf, sizeof(buf), 0) == 1, "recv");
	pthread_join(t, NULL);
	CHECK(atomic_load(&sent) == 4, "the waiting send: %ld", atomic_load(&sent));
	close(r);
	close(full_sender);
	unlink(path("q"));
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	stream_pair();
	refused();
	datagrams();
	full_receiver();
	if (!fails)
		printf("unixsock: all passed in %s\n", dir);
	return fails ? 1 : 0;
}

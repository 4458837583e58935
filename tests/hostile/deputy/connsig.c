/*
 * Stream connects to sockets bound in DIR, made by the guest's own thread
 * through ukcov (docs/security.md), behave as Linux's under signals and
 * leave nothing behind: a full backlog (EAGAIN non-blocking; a blocking
 * wait that a handler without SA_RESTART interrupts: EINTR), connects under
 * a stream of SA_RESTART signals (each peer sees the connecting process's
 * pid), and no fd or mapping left over. Prints one line per case; run
 * natively in a /dev/shm directory and under `ukcov run --tmpfs=DIR`, the
 * transcripts must match (test_connsig.sh).
 *   connsig DIR
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void tick(int sig)
{
	(void)sig;
	ticks++;
}

static struct sockaddr_un addr(const char *dir, const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir, name);
	return sun;
}

static int listener(const struct sockaddr_un *sun, int backlog)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	unlink(sun->sun_path);
	if (s < 0 || bind(s, (const struct sockaddr *)sun, sizeof(*sun)) || listen(s, backlog)) {
		perror("listener");
		exit(2);
	}
	return s;
}

/* Counts the lines of a /proc/self file or the entries of a /proc/self directory. */
static int count(const char *what)
{
	char buf[4096];
	int n = 0, fd;
	ssize_t r;
	DIR *d;

	if (strcmp(what, "fd")) {
		fd = open(what, O_RDONLY | O_CLOEXEC);
		while (fd >= 0 && (r = read(fd, buf, sizeof(buf))) > 0)
			for (ssize_t i = 0; i < r; i++)
				n += buf[i] == '\n';
		close(fd);
		return n;
	}
	d = opendir("/proc/self/fd");
	while (d && readdir(d))
		n++;
	closedir(d);
	return n;
}

static const char *err_name(int r)
{
	return r ? strerrorname_np(errno) : "ok";
}

static void full_backlog(const char *dir)
{
	struct sockaddr_un sun = addr(dir, "full.sock");
	struct sigaction sa = { .sa_handler = tick };
	struct itimerval it = { .it_value = { 0, 50000 } };
	int ls = listener(&sun, 0), n = 0, r, s, held[8];

	for (;;) {
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		r = connect(s, (struct sockaddr *)&sun, sizeof(sun));
		if (r || n == 8)
			break;
		held[n++] = s;
	}
	printf("non-blocking connects to a backlog of 0: %d, then %s\n", n, err_name(r));
	close(s);
	/* A blocking connect waits for room; a handler without SA_RESTART ends the wait. */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	r = connect(s, (struct sockaddr *)&sun, sizeof(sun));
	printf("blocking connect to the full backlog, SIGALRM without SA_RESTART: %s\n",
	       err_name(r));
	close(s);
	while (n > 0)
		close(held[--n]);
	close(ls);
}

static void serve(int ls)
{
	for (;;) {
		int s = accept(ls, NULL, NULL);
		struct ucred uc;
		socklen_t l = sizeof(uc);
		pid_t said;

		if (s < 0)
			continue;
		if (read(s, &said, sizeof(said)) == sizeof(said) &&
		    !getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &l))
			(void)!write(s, uc.pid == said ? "same" : "diff", 4);
		close(s);
	}
}

static void under_signals(const char *dir, int n)
{
	struct sockaddr_un sun = addr(dir, "srv.sock");
	struct sigaction sa = { .sa_handler = tick, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 300 }, { 0, 300 } }, off = { 0 };
	int ls = listener(&sun, 64), ok = 0, same = 0;
	pid_t srv = fork(), me = getpid();

	if (srv == 0)
		serve(ls);
	close(ls);
	sigaction(SIGALRM, &sa, NULL);
	ticks = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < n; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		char reply[4];

		if (!connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
			ok++;
			if (write(s, &me, sizeof(me)) == sizeof(me) && read(s, reply, 4) == 4 &&
			    !memcmp(reply, "same", 4))
				same++;
		} else {
			printf("connect %d: %s\n", i, strerrorname_np(errno));
		}
		close(s);
	}
	setitimer(ITIMER_REAL, &off, NULL);
	printf("%d connects under SA_RESTART signals: %d ok, %d peers saw this pid\n", n, ok, same);
	fprintf(stderr, "%d signals\n", (int)ticks);
	kill(srv, SIGKILL);
	waitpid(srv, NULL, 0);
}

int main(int argc, char **argv)
{
	int fds, maps;

	if (argc != 2)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fds = count("fd");
	maps = count("/proc/self/maps");
	full_backlog(argv[1]);
	under_signals(argv[1], 300);
	printf("fds %s\n", count("fd") == fds ? "as before" : "changed");
	printf("mappings %s\n", count("/proc/self/maps") == maps ? "as before" : "changed");
	return 0;
}

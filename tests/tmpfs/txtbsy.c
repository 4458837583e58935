/*
 * Guest (DIR = a tmpfs directory): ETXTBSY both ways, as Linux's
 * deny_write_access(): exec of a file open for writing, and opening for
 * writing (or truncating) the file of a running program; both end with the
 * writer's close and the program's exit (test_txtbsy.sh compares with
 * /dev/shm). The program is this guest, copied into DIR.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "transcript.h"

/* Runs DIR/prog MODE in a child: its exec's errno name, or "ran" once it exits 0. */
static const char *run(const char *mode, int *wfd, pid_t *wpid)
{
	static char buf[64];
	int p[2], go[2], st, err = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) || pipe(go))
		return "pipe";
	pid = fork();
	if (pid == 0) {
		char fd[16];

		snprintf(fd, sizeof(fd), "%d", go[0]);
		close(go[1]);
		execl(path("prog"), "prog", mode, fd, (char *)NULL);
		err = errno;
		write(p[1], &err, sizeof(err));
		_exit(127);
	}
	close(p[1]);
	close(go[0]);
	if (read(p[0], &err, sizeof(err)) == sizeof(err)) {
		waitpid(pid, &st, 0);
		errno = err;
		snprintf(buf, sizeof(buf), "%s", res(-1));
		close(go[1]);
	} else if (wfd) {
		*wfd = go[1]; /* the child runs until this closes */
		*wpid = pid;
		snprintf(buf, sizeof(buf), "running");
	} else {
		close(go[1]);
		waitpid(pid, &st, 0);
		snprintf(buf, sizeof(buf), "ran, exit %d", WEXITSTATUS(st));
	}
	close(p[0]);
	return buf;
}

static int copy_self(void)
{
	int in = open("/proc/self/exe", O_RDONLY), out = open(path("prog"), O_CREAT | O_WRONLY | O_TRUNC, 0755);
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	return close(out);
}

int main(int argc, char **argv)
{
	int w, go, st;
	pid_t pid = -1;

	if (argc == 3 && !strcmp(argv[1], "--wait")) {
		char c;

		/* the running program: until the parent closes the pipe */
		while (read(atoi(argv[2]), &c, 1) > 0)
			;
		return 0;
	}
	if (argc == 3)
		return 0; /* --noop */
	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	if (copy_self())
		return 3;
	SAY("exec = %s", run("--noop", NULL, NULL));
	w = open(path("prog"), O_WRONLY);
	SAY("exec while open for writing = %s", run("--noop", NULL, NULL));
	close(w);
	SAY("exec after the writer closed = %s", run("--noop", NULL, NULL));
	w = open(path("prog"), O_RDONLY);
	SAY("exec while open for reading = %s", run("--noop", NULL, NULL));
	close(w);
	SAY("start the program = %s", run("--wait", &go, &pid));
	SAY("  open O_WRONLY = %s", res(open(path("prog"), O_WRONLY)));
	SAY("  open O_RDWR = %s", res(open(path("prog"), O_RDWR)));
	SAY("  open O_RDONLY|O_TRUNC = %s", res(open(path("prog"), O_RDONLY | O_TRUNC)));
	SAY("  truncate = %s", res(truncate(path("prog"), 10)));
	w = open(path("prog"), O_RDONLY);
	SAY("  open O_RDONLY = %s", res(w < 0 ? -1 : 0));
	close(w);
	close(go);
	SAY("  wait = %s", res(waitpid(pid, &st, 0) > 0 ? 0 : -1));
	w = open(path("prog"), O_WRONLY);
	SAY("after it exited: open O_WRONLY = %s", res(w < 0 ? -1 : 0));
	close(w);
	return 0;
}

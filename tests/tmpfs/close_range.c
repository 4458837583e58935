/*
 * Guest (DIR = a tmpfs directory, the cwd inside it): close_range(2) over
 * every fd, as closefrom() and LTP close_range01 call it, answers as on
 * Linux (test_close_range.sh compares with /dev/shm): 0, every fd of the
 * range closed (mount files, host files, pipes, a high dup), or marked
 * close-on-exec with CLOSE_RANGE_CLOEXEC (and closed by an exec); with
 * CLOSE_RANGE_UNSHARE in a thread, the thread's own table only; the cwd in
 * the mount kept through all of it (a relative create lands there).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/close_range.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "transcript.h"

static int fds[6];

static void open_fds(void)
{
	int p[2];

	fds[0] = open("a", O_CREAT | O_RDWR, 0644);
	fds[1] = open("/dev/null", O_RDONLY);
	fds[2] = pipe(p) ? -1 : p[0];
	fds[3] = p[1];
	fds[4] = dup2(fds[0], 60);
	fds[5] = open(".", O_RDONLY | O_DIRECTORY);
}

/* Each fd: -EBADF, or its FD_CLOEXEC. */
static void show_fds(const char *what)
{
	char line[256];
	size_t n = 0;

	for (int i = 0; i < 6; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, " %s", res(fcntl(fds[i], F_GETFD)));
	SAY("%s:%s", what, line);
}

static void cwd_kept(const char *name)
{
	struct stat st;
	int fd = open(name, O_CREAT | O_WRONLY, 0644);

	SAY("create %s by its relative name = %s, in DIR/sub: %s", name, res(fd < 0 ? -1 : 0),
	    res(stat(path(name), &st)));
	if (fd >= 0)
		close(fd);
}

static long crange(unsigned int lo, unsigned int hi, unsigned int flags)
{
	return syscall(SYS_close_range, lo, hi, flags);
}

static void *unshare_thread(void *arg)
{
	(void)arg;
	SAY("thread: close_range(3, ~0U, UNSHARE) = %s", res(crange(3, ~0U, CLOSE_RANGE_UNSHARE)));
	show_fds("thread's fds");
	return NULL;
}

/* In a child: the exec'd shell says whether fd 60 survived its exec. */
static void exec_child(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "if [ -e /proc/self/fd/60 ]; then echo exec: fd 60 open; "
			"else echo exec: fd 60 closed; fi; echo x > c", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
}

int main(int argc, char **argv)
{
	pthread_t t;
	pid_t pid;
	int st;

	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s/sub", argv[1]);
	if (mkdir(dir, 0755) || chdir(dir))
		return 1;
	setvbuf(stdout, NULL, _IONBF, 0);
	open_fds();
	show_fds("opened");
	SAY("close_range(3, ~0U, CLOEXEC) = %s", res(crange(3, ~0U, CLOSE_RANGE_CLOEXEC)));
	show_fds("after CLOEXEC");
	exec_child();
	cwd_kept("c");
	pthread_create(&t, NULL, unshare_thread, NULL);
	pthread_join(t, NULL);
	show_fds("main's fds after the thread's");
	pid = fork();
	if (pid == 0) {
		SAY("child: close_range(3, ~0U, 0) = %s", res(crange(3, ~0U, 0)));
		show_fds("child's fds");
		cwd_kept("b");
		_exit(0);
	}
	waitpid(pid, &st, 0);
	show_fds("parent's fds");
	SAY("close_range(0, 2, CLOEXEC) = %s, close_range(~0U - 1, ~0U, 0) = %s",
	    res(crange(0, 2, CLOSE_RANGE_CLOEXEC)), res(crange(~0U - 1, ~0U, 0)));
	SAY("close_range(3, ~0U, 0) = %s", res(crange(3, ~0U, 0)));
	show_fds("closed");
	cwd_kept("d");
	return 0;
}

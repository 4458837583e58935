/*
 * Guest (--tmpfs=/mnt/t): the guest's F_SETSIG is its own and changes
 * nothing else of the description, on /dev/shm and in the mount (the
 * transcripts compared, two_sides.h). ukcov keeps a description's tag (its
 * opener, O_NOFOLLOW, O_TMPFILE) where F_GETSIG would show it: a guest's
 * F_SETSIG that reached the host description made F_GETFL show
 * O_NOFOLLOW or O_TMPFILE and linkat() of an O_TMPFILE file refuse, and
 * another opener's new description showed its tag as F_GETSIG. With
 * argv[1] "memfd" (a mount without its private store, whose tag is still
 * the F_GETSIG: the guest's F_SETSIG of a signal is EINVAL there, a
 * documented deviation), Linux's side is asked for no signal either and
 * reads EINVAL. Then SIGIO (O_ASYNC, F_SETOWN): none for a write or read of
 * a regular file, one per write into a FIFO (a host FIFO in the mount).
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "say.h"
#include "two_sides.h"

static int no_signal; /* Linux's side of a mount without its store */

/* Status flags as F_GETFL shows them, without the access mode. */
static void flags(const char *what, int fd)
{
	say("%s: F_GETFL %#lx F_GETSIG %ld\n", what, e(fcntl(fd, F_GETFL)) & ~(long)O_ACCMODE,
	    e(fcntl(fd, F_GETSIG)));
}

static long setsig(int fd, int sig)
{
	return no_signal && sig ? -EINVAL : e(fcntl(fd, F_SETSIG, sig));
}

static void sig_steps(const char *dir, const char *name, int oflags, const int *sigs, int n)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, oflags, 0644);
	say("open %s %#x: %s\n", name, oflags, fd < 0 ? strerror(errno) : "ok");
	for (int i = 0; fd >= 0 && i < n; i++) {
		char what[64];

		say("F_SETSIG %d: %ld\n", sigs[i], setsig(fd, sigs[i]));
		snprintf(what, sizeof(what), "  after %d", sigs[i]);
		flags(what, fd);
	}
	if (fd >= 0)
		close(fd);
}

/* An O_TMPFILE file given a name after the guest's F_SETSIG (linkat checks the opener). */
static void tmpfile_steps(const char *dir)
{
	char proc[64], path[512];
	int fd = open(dir, O_TMPFILE | O_RDWR, 0600);

	if (fd < 0) {
		say("O_TMPFILE: %s\n", strerror(errno));
		return;
	}
	say("F_SETSIG SIGUSR1: %ld\n", setsig(fd, SIGUSR1));
	flags("tmpfile", fd);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(path, sizeof(path), "%s/linked", dir);
	say("linkat: %ld\n", e(linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW)));
	close(fd);
}

static volatile sig_atomic_t sigios;

static void on_sigio(int sig)
{
	(void)sig;
	sigios++;
}

/* O_ASYNC on @path (opened O_RDWR | O_NONBLOCK): the SIGIOs a write and a read raise. */
static void sigio_steps(const char *what, const char *path)
{
	char buf[8];
	int fd = open(path, O_RDWR | O_NONBLOCK);
	long w, r;

	if (fd < 0) {
		say("%s: %s\n", what, strerror(errno));
		return;
	}
	signal(SIGIO, on_sigio);
	say("%s: F_SETOWN %ld", what, e(fcntl(fd, F_SETOWN, getpid())));
	say(" O_ASYNC %ld", e(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC)));
	sigios = 0;
	w = e(write(fd, "ab", 2));
	say(" write %ld: SIGIO %d", w, (int)sigios);
	lseek(fd, 0, SEEK_SET);
	sigios = 0;
	r = e(read(fd, buf, sizeof(buf)));
	say(" read %ld: SIGIO %d\n", r, (int)sigios);
	close(fd);
	signal(SIGIO, SIG_DFL);
}

/* Another opener (its own credentials): a new description's F_GETSIG is 0. */
static void other_opener(const char *dir)
{
	char path[512];
	int st, p[2];
	pid_t pid;

	if (geteuid() != 0) {
		say("other opener: not root\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/f", dir);
	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		int fd;

		close(p[0]);
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		fd = open(path, O_RDONLY);
		len = 0;
		flags("other opener", fd);
		if (write(p[1], out, len) < 0)
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	len += (size_t)read(p[0], out + len, sizeof(out) - len - 1);
	close(p[0]);
	waitpid(pid, &st, 0);
}

static void steps(const char *dir)
{
	const int a[] = { 20, SIGRTMIN + 1, 0, SIGUSR1 }, b[] = { SIGUSR2, 0 };
	char path[512];

	len = 0;
	mkdir(dir, 0755);
	sig_steps(dir, "f", O_CREAT | O_RDWR, a, 4);
	sig_steps(dir, "f", O_RDONLY | O_NOFOLLOW, b, 2);
	sig_steps(dir, ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, a, 2);
	tmpfile_steps(dir);
	other_opener(dir);
	snprintf(path, sizeof(path), "%s/f", dir);
	sigio_steps("file", path);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	mkfifo(path, 0644);
	sigio_steps("fifo", path);
	out[len] = '\0';
}

int main(int argc, char **argv)
{
	static char host[8192];
	const char *shm = "/dev/shm/ukcov-fcntl-sig";

	no_signal = argc > 1 && !strcmp(argv[1], "memfd");
	steps(shm);
	memcpy(host, out, len + 1);
	no_signal = 0;
	steps("/mnt/t/sig");
	printf("%s", out);
	return two_sides_compare(shm, host, out);
}
